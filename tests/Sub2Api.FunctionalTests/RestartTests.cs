using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests;

/// <summary>Stopping and starting on the same DATA_DIR keeps data, secrets and issued tokens.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_SameDataDir_KeepsUsersTokensAndEncryptedCredentials()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            string userToken;
            string refreshToken;
            long userId;
            await using (var first = new Sub2ApiFactory(dataDir))
            {
                (_, userId) = await first.CreateUserAsync("restart@example.com", balance: 9.9999999999m);
                userToken = await first.LoginAsync("restart@example.com", "user-password-1");
                refreshToken = (await first.Api().PostAsync("/api/v1/auth/login",
                    new { email = "restart@example.com", password = "user-password-1" })).Data.GetProperty("refresh_token").GetString()!;
                await first.WithDbAsync(async db =>
                {
                    db.Accounts.Add(new Sub2Api.Data.Entities.Account
                    {
                        Name = "acct", Platform = "anthropic", Type = "apikey",
                        CredentialsEncrypted = first.Services.GetRequiredService<Sub2Api.Security.CredentialsCodec>()
                            .Protect(new System.Text.Json.Nodes.JsonObject { ["api_key"] = "sk-ant-secret-value" }),
                    });
                    await db.SaveChangesAsync();
                });
            }

            await using var second = new Sub2ApiFactory(dataDir);
            var me = (await second.Api().WithToken(userToken).GetAsync("/api/v1/auth/me")).Data;
            Assert.Equal(userId, me.GetProperty("id").GetInt64());
            Assert.Equal(9.9999999999m, me.GetProperty("balance").GetDecimal());
            _ = (await second.Api().PostAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken })).Data;
            var stored = await second.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Accounts));
            var credentials = second.Services.GetRequiredService<Sub2Api.Security.CredentialsCodec>().Unprotect(stored.CredentialsEncrypted);
            Assert.Equal("sk-ant-secret-value", credentials["api_key"]!.GetValue<string>());
            // Only one admin: the second start must not create another.
            var admins = await second.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Users, u => u.Role == "admin"));
            Assert.Equal(1, admins);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

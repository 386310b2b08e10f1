using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// Rows written straight to a node's database, shared by the functional scenarios and the integration cluster
/// (so neither depends on the admin API to arrange a test). Callers move the configuration generation.
/// </summary>
internal static class TestSeed
{
    /// <summary>An account in <paramref name="groupId"/> with these (encrypted) credentials.</summary>
    public static Task<long> AccountAsync(Sub2ApiFactory app, long groupId, string type, JsonObject credentials, int priority,
        int concurrency, string extra = "{}")
    {
        var codec = app.Services.GetRequiredService<CredentialsCodec>();
        return app.WithDbAsync(async db =>
        {
            var account = new Account
            {
                Name = $"acct-{Guid.NewGuid():N}"[..16],
                Platform = Platforms.Anthropic,
                Type = type,
                CredentialsEncrypted = codec.Protect(credentials),
                Extra = extra,
                Priority = priority,
                Concurrency = concurrency,
            };
            account.Groups.Add(new AccountGroup { GroupId = groupId });
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
    }

    /// <summary>A user with this balance and concurrency and a fresh API key (bound to <paramref name="groupId"/> when given).</summary>
    public static Task<(string Key, long UserId, long KeyId)> UserWithKeyAsync(Sub2ApiFactory app, long? groupId, decimal balance,
        int concurrency, Action<ApiKey>? configureKey = null)
    {
        var key = ApiKeys.Generate();
        var hasher = app.Services.GetRequiredService<ApiKeys>();
        return app.WithDbAsync(async db =>
        {
            var user = new User
            {
                Email = $"user-{Guid.NewGuid():N}@example.com",
                PasswordHash = "unused",
                Balance = balance,
                Concurrency = concurrency,
            };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            var apiKey = new ApiKey
            {
                UserId = user.Id,
                KeyHash = hasher.Hash(key),
                KeyHint = ApiKeys.Hint(key),
                Name = "test",
                GroupId = groupId,
            };
            configureKey?.Invoke(apiKey);
            db.ApiKeys.Add(apiKey);
            await db.SaveChangesAsync();
            return (key, user.Id, apiKey.Id);
        });
    }
}

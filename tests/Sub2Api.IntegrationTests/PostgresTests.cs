using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>The PostgreSQL provider: its own migrations on an empty database, and the management API on top.</summary>
public sealed class PostgresTests
{
    private static Sub2ApiFactory App(TemporaryDatabase database) => new(settings: new Dictionary<string, string?>
    {
        ["Database:Provider"] = "postgres",
        ["ConnectionStrings:Postgres"] = database.ConnectionString,
    });

    [Fact]
    public async Task Migrations_OnEmptyDatabase_CreateSchemaAndAdmin()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = App(database);
        var admin = await app.AdminAsync();
        var me = (await admin.GetAsync("/api/v1/auth/me")).Data;
        Assert.Equal("admin", me.GetProperty("role").GetString());
        var applied = await app.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync());
        Assert.NotEmpty(applied);
        Assert.Empty(await app.WithDbAsync(db => db.Database.GetPendingMigrationsAsync()));
    }

    [Fact]
    public async Task Money_IsExactToTenDecimals_AndConcurrentAddsAreNotLost()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = App(database);
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("money@example.com", balance: 1.0000000001m);
        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ =>
            admin.PostAsync($"/api/v1/admin/users/{id}/balance", new { balance = 0.0000000003m, operation = "add" })));
        var balance = (await admin.GetAsync($"/api/v1/admin/users/{id}")).Data.GetProperty("balance").GetDecimal();
        Assert.Equal(1.0000000076m, balance);
    }

    [Fact]
    public async Task DuplicateEmail_Is409_OnPostgresUniqueIndex()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = App(database);
        var admin = await app.AdminAsync();
        _ = (await admin.PostAsync("/api/v1/admin/users", new { email = "dup@example.com", password = "pass-word" })).Data;
        (await admin.PostAsync("/api/v1/admin/users", new { email = "dup@example.com", password = "pass-word" })).ShouldFail(HttpStatusCode.Conflict);
        // Soft delete frees the address (the unique index is partial).
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "dup@example.com").Select(u => u.Id).FirstAsync());
        _ = (await admin.DeleteAsync($"/api/v1/admin/users/{id}")).Data;
        _ = (await admin.PostAsync("/api/v1/admin/users", new { email = "dup@example.com", password = "pass-word" })).Data;
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>
/// Redeem and promo codes on PostgreSQL: the conditional claims under real row locks (READ COMMITTED re-checks the
/// WHERE after the winner commits), and the admin list's email search and stats translated to SQL.
/// </summary>
public sealed class CodesPostgresTests
{
    private static Sub2ApiFactory App(TemporaryDatabase database) => new(settings: new Dictionary<string, string?>
    {
        ["Database:Provider"] = "postgres",
        ["ConnectionStrings:Postgres"] = database.ConnectionString,
    });

    private static async Task<string> CodeAsync(ApiClient admin, decimal value) =>
        (await admin.PostAsync("/api/v1/admin/redeem-codes/generate", new { count = 1, type = "balance", value }))
            .Data[0].GetProperty("code").GetString()!;

    [Fact]
    public async Task TheSameCodeRedeemedConcurrently_CreditsExactlyOnce()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = App(database);
        var admin = await app.AdminAsync();
        var (alice, aliceId) = await app.CreateUserAsync("alice@example.com");
        var (bob, bobId) = await app.CreateUserAsync("bob@example.com");
        for (var round = 0; round < 5; round++)
        {
            var code = await CodeAsync(admin, 0.000000000001m);
            var results = await Task.WhenAll(
                alice.PostAsync("/api/v1/redeem", new { code }), bob.PostAsync("/api/v1/redeem", new { code }), alice.PostAsync("/api/v1/redeem", new { code }));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        }
        var balances = await app.WithDbAsync(db => db.Users.Where(u => u.Id == aliceId || u.Id == bobId).Select(u => u.Balance).ToListAsync());
        Assert.Equal(0.000000000005m, balances.Sum());

        var used = (await admin.GetAsync("/api/v1/admin/redeem-codes?search=alice@")).Data.GetProperty("total").GetInt64();
        var stats = (await admin.GetAsync("/api/v1/admin/redeem-codes/stats")).Data;
        Assert.Equal(5, used + (await admin.GetAsync("/api/v1/admin/redeem-codes?search=bob@")).Data.GetProperty("total").GetInt64());
        Assert.Equal(5, stats.GetProperty("used_codes").GetInt64());
        Assert.Equal(0.000000000005m, stats.GetProperty("total_value_distributed").GetDecimal());
        var csv = await (await admin.Http.GetAsync("/api/v1/admin/redeem-codes/export?status=used")).Content.ReadAsStringAsync();
        Assert.Equal(6, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(",0.000000000001,used,", csv);
    }

    [Fact]
    public async Task ConcurrentRegistrations_NeverOverusePromoCodes()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = App(database);
        var admin = await app.AdminAsync();
        _ = (await admin.PutAsync("/api/v1/admin/settings", new { registration_enabled = true, promo_code_enabled = true })).Data;
        _ = (await admin.PostAsync("/api/v1/admin/promo-codes", new { code = "TWO", bonus_amount = 1m, max_uses = 2, expires_at = 4102444800L })).Data;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            app.Api().PostAsync("/api/v1/auth/register", new { email = $"r{i}@example.com", password = "secret-123", promo_code = "two" })));
        Assert.Equal(2, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(2, await app.WithDbAsync(db => db.PromoCodes.Select(p => p.UsedCount).SingleAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.PromoCodeUsages.CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Balance == 1m)));
    }
}

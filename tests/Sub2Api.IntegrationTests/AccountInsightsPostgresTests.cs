using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>The per-account aggregates (grouped by UTC day, decimal products summed) and the error-passthrough table on PostgreSQL.</summary>
public sealed class AccountInsightsPostgresTests
{
    [Fact]
    public async Task AccountStats_AggregateInPostgres_AndErrorPassthroughRulesRoundTrip()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
        });
        var admin = await app.AdminAsync();
        var account = (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = "a",
            platform = "anthropic",
            type = "apikey",
            credentials = new { api_key = "sk-x" },
        })).Data.GetProperty("id").GetInt64();
        var (_, userId, keyId) = await TestSeed.UserWithKeyAsync(app, null, 1m, 1);
        var today = DateTime.UtcNow.Date;
        var n = 0;
        UsageLog Row(DateTime at, decimal cost, decimal accountRate) => new()
        {
            UserId = userId,
            ApiKeyId = keyId,
            AccountId = account,
            RequestId = $"r{++n}",
            Model = "claude-sonnet-4-5",
            InputTokens = 10,
            OutputTokens = 5,
            TotalCost = cost,
            ActualCost = cost,
            AccountRateMultiplier = accountRate,
            CreatedAt = at,
        };
        await app.WithDbAsync(async db =>
        {
            db.UsageLogs.AddRange(Row(today.AddMinutes(5), 0.000000000123m, 3m), Row(today.AddDays(-1).AddHours(23), 1m, 1m));
            await db.SaveChangesAsync();
        });

        var todayStats = (await admin.GetAsync($"/api/v1/admin/accounts/{account}/today-stats")).Data;
        Assert.Equal(1, todayStats.GetProperty("requests").GetInt64());
        Assert.Equal(0.000000000369m, todayStats.GetProperty("cost").GetDecimal());
        var stats = (await admin.GetAsync($"/api/v1/admin/accounts/{account}/stats?days=2")).Data;
        var history = stats.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([1L, 1L], history.Select(h => h.GetProperty("requests").GetInt64()));
        Assert.Equal(1.000000000123m, stats.GetProperty("summary").GetProperty("total_standard_cost").GetDecimal());

        var rule = (await admin.PostAsync("/api/v1/admin/error-passthrough-rules", new
        {
            name = "r",
            error_codes = new[] { 500, 502 },
            keywords = new[] { "busy" },
            platforms = new[] { "anthropic" },
        })).Data;
        var listed = (await admin.GetAsync("/api/v1/admin/error-passthrough-rules")).Data[0];
        Assert.Equal(rule.GetProperty("id").GetInt64(), listed.GetProperty("id").GetInt64());
        Assert.Equal([500, 502], listed.GetProperty("error_codes").EnumerateArray().Select(c => c.GetInt32()));
    }
}

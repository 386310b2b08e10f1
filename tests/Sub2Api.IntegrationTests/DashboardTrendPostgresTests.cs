using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>The dashboard charts' GROUP BY on UTC day and hour (date_trunc/date_part) and their exact sums on PostgreSQL.</summary>
public sealed class DashboardTrendPostgresTests
{
    [Fact]
    public async Task ChartsGroupByUtcDayAndHour_InPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
        });
        var admin = await app.AdminAsync();
        var (_, userId, keyId) = await TestSeed.UserWithKeyAsync(app, null, 1m, 1);
        var day = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        var n = 0;
        UsageLog Row(DateTime at, decimal cost, string model = "claude-sonnet-4-5") => new()
        {
            UserId = userId,
            ApiKeyId = keyId,
            AccountId = 1,
            RequestId = $"r{++n}",
            Model = model,
            InputTokens = 10,
            OutputTokens = 5,
            TotalCost = cost,
            ActualCost = cost,
            CreatedAt = at,
        };
        await app.WithDbAsync(async db =>
        {
            db.UsageLogs.AddRange(
                Row(day.AddHours(23).AddMinutes(10), 0.0000000001m),
                Row(day.AddHours(23).AddMinutes(50), 0.0000000002m),
                Row(day.AddDays(1).AddMinutes(1), 1m, "claude-opus-4-1"));
            await db.SaveChangesAsync();
        });
        const string range = "start_date=2026-05-01&end_date=2026-05-02";

        var daily = (await admin.GetAsync($"/api/v1/admin/dashboard/trend?{range}")).Data.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-05-01", "2026-05-02"], daily.Select(t => t.GetProperty("date").GetString()));
        Assert.Equal(0.0000000003m, daily[0].GetProperty("cost").GetDecimal());

        var hourly = (await admin.GetAsync($"/api/v1/admin/dashboard/trend?{range}&granularity=hour")).Data.GetProperty("trend")
            .EnumerateArray().ToList();
        Assert.Equal(["2026-05-01 23:00", "2026-05-02 00:00"], hourly.Select(t => t.GetProperty("date").GetString()));

        var users = (await admin.GetAsync($"/api/v1/admin/dashboard/users-trend?{range}&granularity=hour")).Data.GetProperty("trend");
        Assert.Equal([2L, 1L], users.EnumerateArray().Select(t => t.GetProperty("requests").GetInt64()));
        var keys = (await admin.GetAsync($"/api/v1/admin/dashboard/api-keys-trend?{range}")).Data.GetProperty("trend");
        Assert.Equal(1.0000000003m, keys.EnumerateArray().Sum(t => t.GetProperty("actual_cost").GetDecimal()));
        var models = (await admin.GetAsync($"/api/v1/admin/dashboard/models?{range}")).Data.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["claude-sonnet-4-5", "claude-opus-4-1"], models.Select(m => m.GetProperty("model").GetString()));
        var listed = (await admin.GetAsync("/api/v1/admin/usage")).Data.GetProperty("items")[0];
        Assert.Equal(keyId, listed.GetProperty("api_key").GetProperty("id").GetInt64());
    }
}

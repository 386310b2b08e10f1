using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>The admin dashboard's chart routes: trend, models, users-trend, api-keys-trend.</summary>
public sealed class DashboardTrendTests
{
    private static readonly DateTime Day1 = new(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
    private const string Range = "start_date=2026-05-01&end_date=2026-05-03";

    [Fact]
    public async Task Trend_Daily_SumsEachUtcDayExactly_AndEchoesTheRange()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (userId, key) = await UserWithKeyAsync(app, "u@example.com");
        var a = Row(userId, key, Day1.AddHours(8), 0.0000000001m, 0.1234567891m, input: 100, output: 10);
        a.CacheCreationTokens = 3;
        a.CacheReadTokens = 4;
        await app.AddUsageAsync(
            a,
            Row(userId, key, Day1.AddHours(23).AddMinutes(59), 0.1m, 0.0000000009m, input: 1, output: 2),
            Row(userId, key, Day1.AddDays(1).AddHours(10), 2.5m, 1.25m, input: 7),
            Row(userId, key, Day1.AddDays(3), 99m, 99m, input: 1000), // the day after end_date
            Row(userId, key, Day1.AddSeconds(-1), 99m, 99m, input: 1000)); // the day before start_date

        var data = (await admin.GetAsync($"/api/v1/admin/dashboard/trend?{Range}")).Data;

        Assert.Equal("2026-05-01", data.GetProperty("start_date").GetString());
        Assert.Equal("2026-05-03", data.GetProperty("end_date").GetString());
        Assert.Equal("day", data.GetProperty("granularity").GetString());
        var trend = data.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-05-01", "2026-05-02"], trend.Select(t => t.GetProperty("date").GetString()));
        var first = trend[0];
        Assert.Equal(2, first.GetProperty("requests").GetInt64());
        Assert.Equal(101, first.GetProperty("input_tokens").GetInt64());
        Assert.Equal(12, first.GetProperty("output_tokens").GetInt64());
        Assert.Equal(3, first.GetProperty("cache_creation_tokens").GetInt64());
        Assert.Equal(4, first.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(120, first.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.1000000001m, first.GetProperty("cost").GetDecimal());
        Assert.Equal(0.12345679m, first.GetProperty("actual_cost").GetDecimal());
        Assert.Equal(2.5m, trend[1].GetProperty("cost").GetDecimal());
        Assert.Equal(1.25m, trend[1].GetProperty("actual_cost").GetDecimal());
    }

    [Fact]
    public async Task Trend_Hourly_BucketsByUtcHour()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (userId, key) = await UserWithKeyAsync(app, "u@example.com");
        await app.AddUsageAsync(
            Row(userId, key, Day1.AddHours(8).AddMinutes(1), 0.0000000001m, 0m),
            Row(userId, key, Day1.AddHours(8).AddMinutes(59), 0.0000000002m, 0m),
            Row(userId, key, Day1.AddHours(9), 1m, 0m),
            Row(userId, key, Day1.AddDays(1).AddHours(8), 2m, 0m));

        var data = (await admin.GetAsync($"/api/v1/admin/dashboard/trend?{Range}&granularity=hour")).Data;

        Assert.Equal("hour", data.GetProperty("granularity").GetString());
        var trend = data.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-05-01 08:00", "2026-05-01 09:00", "2026-05-02 08:00"], trend.Select(t => t.GetProperty("date").GetString()));
        Assert.Equal([2L, 1L, 1L], trend.Select(t => t.GetProperty("requests").GetInt64()));
        Assert.Equal(0.0000000003m, trend[0].GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task Trend_EachFilter_NarrowsTheSeries()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (alice, aliceKey) = await UserWithKeyAsync(app, "alice@example.com");
        var (bob, bobKey) = await UserWithKeyAsync(app, "bob@example.com");
        var a = Row(alice, aliceKey, Day1, 1m, 1m);
        var b = Row(alice, aliceKey, Day1, 2m, 2m, model: "claude-opus-4-1");
        b.AccountId = 7;
        var c = Row(bob, bobKey, Day1, 4m, 4m);
        c.GroupId = 3;
        await app.AddUsageAsync(a, b, c);

        async Task<decimal> Cost(string query)
        {
            var trend = (await admin.GetAsync($"/api/v1/admin/dashboard/trend?{Range}&{query}")).Data.GetProperty("trend");
            return trend.EnumerateArray().Sum(t => t.GetProperty("cost").GetDecimal());
        }
        Assert.Equal(7m, await Cost(""));
        Assert.Equal(3m, await Cost($"user_id={alice}"));
        Assert.Equal(4m, await Cost($"api_key_id={bobKey}"));
        Assert.Equal(2m, await Cost("model=claude-opus-4-1"));
        Assert.Equal(2m, await Cost("account_id=7"));
        Assert.Equal(4m, await Cost("group_id=3"));
        Assert.Equal(0m, await Cost("user_id=424242"));
        var models = (await admin.GetAsync($"/api/v1/admin/dashboard/models?{Range}&user_id={bob}")).Data.GetProperty("models");
        Assert.Equal(4m, Assert.Single(models.EnumerateArray()).GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task Models_SumsPerModel_BiggestFirst()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (userId, key) = await UserWithKeyAsync(app, "u@example.com");
        await app.AddUsageAsync(
            Row(userId, key, Day1, 0.0000000001m, 0.0000000002m, input: 10, output: 1),
            Row(userId, key, Day1.AddHours(1), 0.0000000001m, 0.0000000002m, input: 10, output: 1),
            Row(userId, key, Day1.AddDays(1), 5m, 6m, input: 1000, output: 100, model: "claude-opus-4-1"),
            Row(userId, key, Day1.AddDays(5), 5m, 6m, input: 1000, model: "outside-the-range"));

        var data = (await admin.GetAsync($"/api/v1/admin/dashboard/models?{Range}")).Data;

        Assert.Equal("2026-05-01", data.GetProperty("start_date").GetString());
        var models = data.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["claude-opus-4-1", "claude-sonnet-4-5"], models.Select(m => m.GetProperty("model").GetString()));
        var sonnet = models[1];
        Assert.Equal(2, sonnet.GetProperty("requests").GetInt64());
        Assert.Equal(20, sonnet.GetProperty("input_tokens").GetInt64());
        Assert.Equal(2, sonnet.GetProperty("output_tokens").GetInt64());
        Assert.Equal(22, sonnet.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.0000000002m, sonnet.GetProperty("cost").GetDecimal());
        Assert.Equal(0.0000000004m, sonnet.GetProperty("actual_cost").GetDecimal());
        Assert.Equal(1100, models[0].GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task UsersTrend_OnlyTheTopSpenders_PerDay_WithEmails()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (small, smallKey) = await UserWithKeyAsync(app, "small@example.com");
        var (big, bigKey) = await UserWithKeyAsync(app, "big@example.com");
        var (mid, midKey) = await UserWithKeyAsync(app, "mid@example.com");
        await app.AddUsageAsync(
            Row(small, smallKey, Day1, 0m, 0.0000000001m, input: 1),
            Row(big, bigKey, Day1, 1m, 3.0000000001m, input: 5, output: 5),
            Row(big, bigKey, Day1.AddHours(2), 1m, 0.0000000002m, input: 1),
            Row(big, bigKey, Day1.AddDays(1), 1m, 1m, input: 1),
            Row(mid, midKey, Day1.AddDays(1), 1m, 2m, input: 1));

        var data = (await admin.GetAsync($"/api/v1/admin/dashboard/users-trend?{Range}&limit=2")).Data;

        Assert.Equal("day", data.GetProperty("granularity").GetString());
        var points = data.GetProperty("trend").EnumerateArray().ToList();
        Assert.DoesNotContain(points, p => p.GetProperty("user_id").GetInt64() == small);
        Assert.Equal(
            [("2026-05-01", big), ("2026-05-02", big), ("2026-05-02", mid)],
            points.Select(p => (p.GetProperty("date").GetString(), p.GetProperty("user_id").GetInt64())));
        var bigDay1 = points[0];
        Assert.Equal("big@example.com", bigDay1.GetProperty("email").GetString());
        Assert.Equal(2, bigDay1.GetProperty("requests").GetInt64());
        Assert.Equal(11, bigDay1.GetProperty("tokens").GetInt64());
        Assert.Equal(2m, bigDay1.GetProperty("cost").GetDecimal());
        Assert.Equal(3.0000000003m, bigDay1.GetProperty("actual_cost").GetDecimal());
        Assert.Equal("mid@example.com", points[2].GetProperty("email").GetString());

        var all = (await admin.GetAsync($"/api/v1/admin/dashboard/users-trend?{Range}")).Data.GetProperty("trend");
        Assert.Contains(all.EnumerateArray(), p => p.GetProperty("user_id").GetInt64() == small);
    }

    [Fact]
    public async Task ApiKeysTrend_TopKeysByHour_WithNames_DeletedKeysIncluded()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("u@example.com");
        var cheap = await app.AddKeyAsync(userId, "cheap");
        var dear = await app.AddKeyAsync(userId, "dear");
        await app.WithDbAsync(async db =>
        {
            (await db.ApiKeys.FindAsync(dear))!.DeletedAt = Day1;
            await db.SaveChangesAsync();
        });
        await app.AddUsageAsync(
            Row(userId, cheap, Day1.AddHours(1), 0.5m, 0.5m, input: 1),
            Row(userId, dear, Day1.AddHours(1).AddMinutes(30), 0.7m, 0.7000000001m, input: 2),
            Row(userId, dear, Day1.AddHours(3), 0.1m, 0.1m, input: 3));

        var data = (await admin.GetAsync($"/api/v1/admin/dashboard/api-keys-trend?{Range}&granularity=hour&limit=1")).Data;

        var points = data.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-05-01 01:00", "2026-05-01 03:00"], points.Select(p => p.GetProperty("date").GetString()));
        Assert.All(points, p => Assert.Equal(dear, p.GetProperty("api_key_id").GetInt64()));
        Assert.All(points, p => Assert.Equal("dear", p.GetProperty("key_name").GetString()));
        Assert.Equal(0.7000000001m, points[0].GetProperty("actual_cost").GetDecimal());
        Assert.Equal(3, points[1].GetProperty("tokens").GetInt64());
    }

    [Fact]
    public async Task NoDates_TheLastSevenUtcDays()
    {
        await using var app = new Sub2ApiFactory();
        var now = DashboardApiTests.Now; // 2026-05-01 00:05 UTC
        var (userId, key) = await UserWithKeyAsync(app, "u@example.com");
        await app.AddUsageAsync(
            Row(userId, key, now.Date.AddDays(-6), 1m, 1m), // the first day of the range, at midnight
            Row(userId, key, now.Date.AddSeconds(-1), 2m, 2m),
            Row(userId, key, now.AddMinutes(-1), 4m, 4m),
            Row(userId, key, now.Date.AddDays(-6).AddSeconds(-1), 8m, 8m)); // one second too early
        var admin = await DashboardApiTests.ClockedAdminAsync(app);

        var data = (await admin.GetAsync("/api/v1/admin/dashboard/trend")).Data;

        Assert.Equal("2026-04-25", data.GetProperty("start_date").GetString());
        Assert.Equal("2026-05-01", data.GetProperty("end_date").GetString());
        Assert.Equal(7m, data.GetProperty("trend").EnumerateArray().Sum(t => t.GetProperty("cost").GetDecimal()));
        var models = (await admin.GetAsync("/api/v1/admin/dashboard/models")).Data;
        Assert.Equal(7m, Assert.Single(models.GetProperty("models").EnumerateArray()).GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task EmptyRange_IsEmptyLists()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        foreach (var (route, list) in new[] { ("trend", "trend"), ("models", "models"), ("users-trend", "trend"), ("api-keys-trend", "trend") })
        {
            var data = (await admin.GetAsync($"/api/v1/admin/dashboard/{route}?{Range}")).Data;
            Assert.Equal(JsonValueKind.Array, data.GetProperty(list).ValueKind);
            Assert.Equal(0, data.GetProperty(list).GetArrayLength());
        }
    }

    [Theory]
    [InlineData("trend?granularity=week", "granularity")]
    [InlineData("trend?start_date=2026/05/01", "start_date must be YYYY-MM-DD")]
    [InlineData("trend?start_date=2026-05-03&end_date=2026-05-01", "start")]
    [InlineData("trend?start_date=2999-01-01", "start")] // after the default end (today)
    [InlineData("trend?start_date=2026-01-01&end_date=2026-03-01&granularity=hour", "at most 31 days")]
    [InlineData("trend?start_date=2020-01-01&end_date=2026-03-01", "at most 366 days")]
    [InlineData("trend?user_id=x", "user_id")]
    [InlineData("models?end_date=05-01-2026", "end_date must be YYYY-MM-DD")]
    [InlineData("users-trend?limit=0", "limit")]
    [InlineData("users-trend?limit=51", "limit")]
    [InlineData("api-keys-trend?limit=ten", "limit")]
    [InlineData("api-keys-trend?granularity=minute", "granularity")]
    [InlineData("trend?end_time=0001-01-01T00:00:00Z", "start")] // an end at the calendar's first instant: nothing before it
    public async Task BadQuery_Is400NamingTheProblem(string path, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.GetAsync($"/api/v1/admin/dashboard/{path}");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public async Task EndInTheCalendarsFirstWeek_DefaultStartIsItsFirstDay_NotA500()
    {
        // The default start is a week before the end; before 0001-01-08 there is no such day (found by the fuzz tier).
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        foreach (var route in new[] { "trend", "models", "users-trend", "api-keys-trend" })
        {
            var result = await admin.GetAsync($"/api/v1/admin/dashboard/{route}?end_date=0001-01-01");
            Assert.Equal(HttpStatusCode.OK, result.Status);
            Assert.Equal("0001-01-01", result.Data.GetProperty("start_date").GetString());
        }
    }

    [Fact]
    public async Task ChartRoutes_UserToken_Is403_NoToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        foreach (var route in new[] { "trend", "models", "users-trend", "api-keys-trend" })
        {
            (await user.GetAsync($"/api/v1/admin/dashboard/{route}")).ShouldFail(HttpStatusCode.Forbidden);
            (await app.Api().GetAsync($"/api/v1/admin/dashboard/{route}")).ShouldFail(HttpStatusCode.Unauthorized);
        }
    }

    private static async Task<(long UserId, long KeyId)> UserWithKeyAsync(Sub2ApiFactory app, string email)
    {
        var (_, userId) = await app.AddUserAsync(email);
        return (userId, await app.AddKeyAsync(userId));
    }

    private static UsageLog Row(long userId, long keyId, DateTime at, decimal cost, decimal actualCost, long input = 0, long output = 0,
        string model = "claude-sonnet-4-5") => PortalArrange.Usage(userId, keyId, at, cost, actualCost, input, output, model);
}

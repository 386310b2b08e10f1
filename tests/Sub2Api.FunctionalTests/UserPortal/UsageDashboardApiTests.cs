using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.UserPortal;

public sealed class UsageDashboardApiTests
{
    // Five minutes into a UTC day, so "last minute", "today" and "yesterday" are all distinct.
    private static readonly DateTime Now = new(2026, 5, 1, 0, 5, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Stats_CountOnlyTheCallersKeysAndUsage_TodayAndLastMinute()
    {
        await using var app = new Sub2ApiFactory();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId, "a1");
        var disabledKey = await app.AddKeyAsync(aliceId, "a2");
        var bobKey = await app.AddKeyAsync(bobId);
        await app.WithDbAsync(async db =>
        {
            (await db.ApiKeys.FindAsync(disabledKey))!.Status = Statuses.Disabled;
            await db.SaveChangesAsync();
        });
        var recent = PortalArrange.Usage(aliceId, aliceKey, Now.AddSeconds(-10), 0.0000012345m, 0.0000006789m, input: 100, output: 50, durationMs: 300);
        recent.CacheCreationTokens = 5;
        recent.CacheReadTokens = 7;
        await app.AddUsageAsync(
            recent,
            PortalArrange.Usage(aliceId, disabledKey, Now.AddMinutes(-4), 0.0000012345m, 0.0000006789m, input: 10, output: 5, durationMs: 100),
            PortalArrange.Usage(aliceId, aliceKey, Now.AddMinutes(-6), 1.2345678901m, 0.9876543211m, input: 1000, output: 500),
            PortalArrange.Usage(bobId, bobKey, Now.AddSeconds(-1), 50m, 50m, input: 99999, output: 99999, durationMs: 9000));
        var alice = await ClockedUserAsync(app, "alice@example.com");

        var stats = (await alice.GetAsync("/api/v1/usage/dashboard/stats")).Data;

        Assert.Equal(2, stats.GetProperty("total_api_keys").GetInt64());
        Assert.Equal(1, stats.GetProperty("active_api_keys").GetInt64());
        Assert.Equal(3, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(1110, stats.GetProperty("total_input_tokens").GetInt64());
        Assert.Equal(555, stats.GetProperty("total_output_tokens").GetInt64());
        Assert.Equal(5, stats.GetProperty("total_cache_creation_tokens").GetInt64());
        Assert.Equal(7, stats.GetProperty("total_cache_read_tokens").GetInt64());
        Assert.Equal(1677, stats.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1.2345703591m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0.9876556789m, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(2, stats.GetProperty("today_requests").GetInt64());
        Assert.Equal(110, stats.GetProperty("today_input_tokens").GetInt64());
        Assert.Equal(55, stats.GetProperty("today_output_tokens").GetInt64());
        Assert.Equal(177, stats.GetProperty("today_tokens").GetInt64());
        Assert.Equal(0.000002469m, stats.GetProperty("today_cost").GetDecimal());
        Assert.Equal(0.0000013578m, stats.GetProperty("today_actual_cost").GetDecimal());
        Assert.Equal(200d, stats.GetProperty("average_duration_ms").GetDouble());
        Assert.Equal(1, stats.GetProperty("rpm").GetInt64());
        Assert.Equal(162, stats.GetProperty("tpm").GetInt64());
    }

    [Fact]
    public async Task Stats_NoUsage_AreZeros()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var stats = (await user.GetAsync("/api/v1/usage/dashboard/stats")).Data;
        Assert.Equal(0, stats.GetProperty("total_api_keys").GetInt64());
        Assert.Equal(0, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(0m, stats.GetProperty("today_cost").GetDecimal());
        Assert.Equal(0, stats.GetProperty("tpm").GetInt64());
    }

    [Fact]
    public async Task Trend_ByDay_SumsOwnRowsWithinTheDates()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var key = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        var cached = PortalArrange.Usage(aliceId, key, new DateTime(2026, 3, 10, 23, 59, 59, DateTimeKind.Utc), 0.0000000001m, 0.0000000002m, input: 3, output: 4);
        cached.CacheCreationTokens = 10;
        cached.CacheReadTokens = 20;
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, key, new DateTime(2026, 3, 9, 23, 59, 59, DateTimeKind.Utc), 100m, 100m),
            PortalArrange.Usage(aliceId, key, new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc), 1.1m, 0.55m, input: 1, output: 2),
            cached,
            PortalArrange.Usage(aliceId, key, new DateTime(2026, 3, 12, 8, 0, 0, DateTimeKind.Utc), 2m, 1m, input: 5, output: 6),
            PortalArrange.Usage(aliceId, key, new DateTime(2026, 3, 13, 0, 0, 0, DateTimeKind.Utc), 100m, 100m),
            PortalArrange.Usage(bobId, bobKey, new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc), 7m, 7m, input: 1000));

        var data = (await alice.GetAsync("/api/v1/usage/dashboard/trend?start_date=2026-03-10&end_date=2026-03-12")).Data;

        Assert.Equal("2026-03-10", data.GetProperty("start_date").GetString());
        Assert.Equal("2026-03-12", data.GetProperty("end_date").GetString());
        Assert.Equal("day", data.GetProperty("granularity").GetString());
        var trend = data.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-03-10", "2026-03-12"], trend.Select(t => t.GetProperty("date").GetString()));
        var first = trend[0];
        Assert.Equal(2, first.GetProperty("requests").GetInt64());
        Assert.Equal(4, first.GetProperty("input_tokens").GetInt64());
        Assert.Equal(6, first.GetProperty("output_tokens").GetInt64());
        Assert.Equal(10, first.GetProperty("cache_creation_tokens").GetInt64());
        Assert.Equal(20, first.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(40, first.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1.1000000001m, first.GetProperty("cost").GetDecimal());
        Assert.Equal(0.5500000002m, first.GetProperty("actual_cost").GetDecimal());
        Assert.Equal(2m, trend[1].GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task Trend_ByHour_BucketsEachHour()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, new DateTime(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc), 1m, input: 1),
            PortalArrange.Usage(userId, key, new DateTime(2026, 3, 10, 9, 59, 59, DateTimeKind.Utc), 2m, input: 2),
            PortalArrange.Usage(userId, key, new DateTime(2026, 3, 10, 17, 30, 0, DateTimeKind.Utc), 4m, input: 4));

        var trend = (await user.GetAsync("/api/v1/usage/dashboard/trend?start_date=2026-03-10&end_date=2026-03-10&granularity=hour"))
            .Data.GetProperty("trend").EnumerateArray().ToList();

        Assert.Equal(["2026-03-10 09:00", "2026-03-10 17:00"], trend.Select(t => t.GetProperty("date").GetString()));
        Assert.Equal([2L, 1L], trend.Select(t => t.GetProperty("requests").GetInt64()));
        Assert.Equal([3m, 4m], trend.Select(t => t.GetProperty("cost").GetDecimal()));
    }

    [Fact]
    public async Task Trend_WithoutDates_CoversTheLastSevenDays()
    {
        await using var app = new Sub2ApiFactory();
        var (_, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, Now.Date.AddDays(-6), 1m),
            PortalArrange.Usage(userId, key, Now.Date.AddDays(-6).AddTicks(-1), 2m),
            PortalArrange.Usage(userId, key, Now.AddMinutes(-1), 4m));
        var user = await ClockedUserAsync(app, "u@example.com");

        var data = (await user.GetAsync("/api/v1/usage/dashboard/trend")).Data;

        Assert.Equal("2026-04-25", data.GetProperty("start_date").GetString());
        Assert.Equal("2026-05-01", data.GetProperty("end_date").GetString());
        Assert.Equal([1m, 4m], data.GetProperty("trend").EnumerateArray().Select(t => t.GetProperty("cost").GetDecimal()));
    }

    [Fact]
    public async Task Models_SplitOwnUsageByModel_WithinTheDates()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var key = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        var day = new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
        var cached = PortalArrange.Usage(aliceId, key, day, 0.0000000003m, 0.0000000001m, input: 1, output: 1, model: "claude-haiku-4-5");
        cached.CacheReadTokens = 1000;
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, key, day, 1m, 0.5m, input: 10, output: 20),
            PortalArrange.Usage(aliceId, key, day.AddHours(1), 2m, 1m, input: 30, output: 40),
            cached,
            PortalArrange.Usage(aliceId, key, day.AddDays(-5), 9m, 9m, input: 1, model: "claude-opus-4-1"),
            PortalArrange.Usage(bobId, bobKey, day, 5m, 5m, input: 500, model: "gpt-5"));

        var data = (await alice.GetAsync("/api/v1/usage/dashboard/models?start_date=2026-03-10&end_date=2026-03-10")).Data;

        var models = data.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["claude-haiku-4-5", "claude-sonnet-4-5"], models.Select(m => m.GetProperty("model").GetString()));
        var haiku = models[0];
        Assert.Equal(1002, haiku.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.0000000003m, haiku.GetProperty("cost").GetDecimal());
        var sonnet = models[1];
        Assert.Equal(2, sonnet.GetProperty("requests").GetInt64());
        Assert.Equal(40, sonnet.GetProperty("input_tokens").GetInt64());
        Assert.Equal(60, sonnet.GetProperty("output_tokens").GetInt64());
        Assert.Equal(100, sonnet.GetProperty("total_tokens").GetInt64());
        Assert.Equal(3m, sonnet.GetProperty("cost").GetDecimal());
        Assert.Equal(1.5m, sonnet.GetProperty("actual_cost").GetDecimal());
    }

    [Theory]
    [InlineData("trend", "start_date=2026-13-01", "start_date must be YYYY-MM-DD")]
    [InlineData("trend", "end_date=yesterday", "end_date must be YYYY-MM-DD")]
    [InlineData("trend", "granularity=week", "granularity")]
    [InlineData("trend", "start_date=2026-03-12&end_date=2026-03-10", "time range")]
    [InlineData("trend", "end_date=2000-01-01", "time range")]
    [InlineData("models", "start_date=10/03/2026", "start_date must be YYYY-MM-DD")]
    [InlineData("models", "start_date=2026-03-12&end_date=2026-03-10", "time range")]
    public async Task BadDates_Are400NamingTheProblem(string route, string query, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var result = await user.GetAsync($"/api/v1/usage/dashboard/{route}?{query}");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("trend")]
    [InlineData("models")]
    public async Task WithoutLogin_Is401(string route)
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().GetAsync($"/api/v1/usage/dashboard/{route}")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    /// <summary>A client for <paramref name="email"/> on a second host over the same data whose clock stands at <see cref="Now"/>.</summary>
    private static async Task<ApiClient> ClockedUserAsync(Sub2ApiFactory app, string email)
    {
        var clocked = app.WithWebHostBuilder(b => b.ConfigureTestServices(
            s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(Now)))));
        var login = await new ApiClient(clocked.CreateClient()).PostAsync("/api/v1/auth/login",
            new { email, password = PortalArrange.Password });
        return new ApiClient(clocked.CreateClient()).WithToken(login.Data.GetProperty("access_token").GetString()!);
    }
}

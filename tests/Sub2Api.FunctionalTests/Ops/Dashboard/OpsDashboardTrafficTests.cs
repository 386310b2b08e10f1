using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Ops.Dashboard;

/// <summary>The ops dashboard's traffic numbers over the known, seeded hour of <see cref="OpsDashboardSeed"/>.</summary>
public sealed class OpsDashboardTrafficTests(OpsDashboardTrafficTests.SeededApp app) : IClassFixture<OpsDashboardTrafficTests.SeededApp>
{
    /// <summary>
    /// One app with the seeded hour and an errored third account, shared by the read-only tests of this class (starting
    /// an app per test would cost seconds each).
    /// </summary>
    public sealed class SeededApp : IAsyncLifetime
    {
        internal RelayScenario Scenario { get; private set; } = null!;
        internal OpsDashboardSeed.Seeded Seeded { get; private set; } = null!;
        internal ApiClient Admin { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Scenario = await RelayScenario.StartAsync();
            Seeded = await OpsDashboardSeed.SeedHourAsync(Scenario);
            await Scenario.UpdateAccountAsync(await Scenario.AddApiKeyAccountAsync("ok"), a => a.Status = Statuses.Error);
            Admin = await Scenario.App.AdminAsync();
        }

        public ValueTask DisposeAsync() => Scenario.DisposeAsync();
    }

    private static readonly DateTime Start = OpsDashboardSeed.Start;
    private const string Window = OpsDashboardSeed.Window;

    [Fact]
    public async Task Overview_CountsRatesAndPercentilesOfTheWindowExactly()
    {
        var admin = app.Admin;

        var data = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/overview?{Window}")).Data;

        Assert.Equal(Start, data.GetProperty("start_time").GetDateTime().ToUniversalTime());
        Assert.Equal(Start.AddHours(1), data.GetProperty("end_time").GetDateTime().ToUniversalTime());
        Assert.Equal(20, data.GetProperty("request_count").GetInt64());
        Assert.Equal(18, data.GetProperty("success_count").GetInt64());
        Assert.Equal(2, data.GetProperty("error_count").GetInt64());
        Assert.Equal(90, data.GetProperty("success_rate").GetDouble());
        Assert.Equal(10, data.GetProperty("error_rate").GetDouble());
        Assert.Equal(3, data.GetProperty("upstream_error_count").GetInt64());
        Assert.Equal(15, data.GetProperty("upstream_error_rate").GetDouble());
        Assert.Equal(0.0056, data.GetProperty("qps").GetDouble()); // 20 / 3600
        Assert.Equal(0.075, data.GetProperty("tps").GetDouble()); // 18 × 15 tokens / 3600
        // Durations 50 … 1000 ms (successes and failed requests), nearest rank.
        Assert.Equal(500, data.GetProperty("p50_latency_ms").GetInt32());
        Assert.Equal(950, data.GetProperty("p95_latency_ms").GetInt32());
        Assert.Equal(1000, data.GetProperty("p99_latency_ms").GetInt32());
        // Times to first token 10 … 180 ms (successes).
        Assert.Equal(180, data.GetProperty("p95_ttft_ms").GetInt32());
        Assert.Equal(180, data.GetProperty("p99_ttft_ms").GetInt32());
        Assert.Equal(2, data.GetProperty("active_alerts").GetInt64());
        Assert.Equal(3, data.GetProperty("accounts_total").GetInt32());
        Assert.Equal(2, data.GetProperty("accounts_available").GetInt32());
        Assert.Equal(0, data.GetProperty("accounts_rate_limited").GetInt32());
        Assert.Equal(1, data.GetProperty("accounts_error").GetInt32());
        Assert.Equal(0, data.GetProperty("concurrency_in_use").GetInt64());
        Assert.Equal(0, data.GetProperty("concurrency_queue_depth").GetInt64());
    }

    [Fact]
    public async Task Overview_EmptyWindow_IsZerosAndNullPercentiles()
    {
        var admin = app.Admin;

        var data = (await admin.GetAsync("/api/v1/admin/ops/dashboard/overview?start_time=2026-04-01T00:00:00Z&end_time=2026-04-01T01:00:00Z")).Data;

        Assert.Equal(0, data.GetProperty("request_count").GetInt64());
        Assert.Equal(0, data.GetProperty("success_rate").GetDouble());
        Assert.Equal(0, data.GetProperty("error_rate").GetDouble());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("p50_latency_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("p99_ttft_ms").ValueKind);
    }

    [Fact]
    public async Task Overview_Filters_ByAccountAndPlatform()
    {
        var (scenario, seeded, admin) = (app.Scenario, app.Seeded, app.Admin);

        var onB = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/overview?{Window}&account_id={seeded.AccountB}")).Data;
        Assert.Equal(0, onB.GetProperty("success_count").GetInt64());
        Assert.Equal(1, onB.GetProperty("upstream_error_count").GetInt64());
        Assert.Equal(1, onB.GetProperty("accounts_total").GetInt32());

        var onA = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/overview?{Window}&account_id={seeded.AccountA}")).Data;
        Assert.Equal(18, onA.GetProperty("success_count").GetInt64());
        Assert.Equal(1, onA.GetProperty("error_count").GetInt64());

        var openai = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/overview?{Window}&platform=openai")).Data;
        Assert.Equal(0, openai.GetProperty("request_count").GetInt64());
        Assert.Equal(0, openai.GetProperty("accounts_total").GetInt32());
        var anthropic = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/overview?{Window}&platform=anthropic&group_id={scenario.GroupId}")).Data;
        Assert.Equal(20, anthropic.GetProperty("request_count").GetInt64());
    }

    [Fact]
    public async Task ThroughputTrend_OneMinuteBuckets_ForAnHour()
    {
        var admin = app.Admin;

        var data = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/throughput-trend?{Window}")).Data;

        Assert.Equal(60, data.GetProperty("bucket_seconds").GetInt32());
        var points = data.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(60, points.Count);
        Assert.Equal(Start, points[0].GetProperty("time").GetDateTime().ToUniversalTime());
        Assert.Equal(Start.AddMinutes(59), points[59].GetProperty("time").GetDateTime().ToUniversalTime());
        Assert.Equal(3, points[5].GetProperty("request_count").GetInt64());
        Assert.Equal(1, points[5].GetProperty("success_count").GetInt64());
        Assert.Equal(2, points[5].GetProperty("error_count").GetInt64());
        Assert.Equal(15, points[5].GetProperty("tokens").GetInt64());
        Assert.Equal(0.05, points[5].GetProperty("qps").GetDouble()); // 3 / 60
        Assert.Equal(1, points[0].GetProperty("request_count").GetInt64());
        Assert.Equal(0, points[18].GetProperty("request_count").GetInt64());
        Assert.Equal(20, points.Sum(p => p.GetProperty("request_count").GetInt64()));
    }

    [Theory]
    [InlineData("2026-05-01T06:00:00Z", "2026-05-01T12:00:00Z", 300, 72, 7, 2)] // 6 h: minutes 5–9 = 5 successes + 2 errors
    [InlineData("2026-04-30T12:00:00Z", "2026-05-01T12:00:00Z", 900, 96, 17, 2)] // 24 h: minutes 0–14 = 15 + 2
    [InlineData("2026-04-25T00:00:00Z", "2026-05-02T00:00:00Z", 3600, 168, 20, 2)] // 7 d: the whole hour
    [InlineData("2026-04-25T00:00:00Z", "2026-05-05T00:00:00Z", 86400, 10, 23, 3)] // 10 d: the day, with the rows around the hour
    public async Task ThroughputTrend_BucketSize_FollowsTheRange(string from, string to, int bucket, int count, long requests, long errors)
    {
        var admin = app.Admin;

        var data = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/throughput-trend?start_time={from}&end_time={to}")).Data;

        Assert.Equal(bucket, data.GetProperty("bucket_seconds").GetInt32());
        var points = data.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(count, points.Count);
        // The bucket holding 10:05 (where both failed requests are).
        var at = new DateTime(Start.AddMinutes(5).Ticks - Start.AddMinutes(5).Ticks % TimeSpan.FromSeconds(bucket).Ticks, DateTimeKind.Utc);
        var point = points.Single(p => p.GetProperty("time").GetDateTime().ToUniversalTime() == at);
        Assert.Equal(requests, point.GetProperty("request_count").GetInt64());
        Assert.Equal(errors, point.GetProperty("error_count").GetInt64());
    }

    [Fact]
    public async Task LatencyHistogram_CountsEachDurationOnce()
    {
        var admin = app.Admin;

        var data = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/latency-histogram?{Window}")).Data;

        var buckets = data.GetProperty("buckets").EnumerateArray()
            .Select(b => (Le: b.GetProperty("le_ms").ValueKind == JsonValueKind.Null ? (int?)null : b.GetProperty("le_ms").GetInt32(),
                Count: b.GetProperty("count").GetInt64()))
            .ToList();
        Assert.Equal(
            [(100, 2), (250, 3), (500, 5), (1000, 10), (2000, 0), (5000, 0), (10000, 0), (30000, 0), (60000, 0), (null, 0)],
            buckets.Select(b => (b.Le, b.Count)).ToList<(int?, long)>());
        Assert.Equal(500, data.GetProperty("p50_ms").GetInt32());
        Assert.Equal(950, data.GetProperty("p95_ms").GetInt32());
        Assert.Equal(1000, data.GetProperty("p99_ms").GetInt32());
    }

    [Fact]
    public async Task ErrorTrend_SeparatesRequestAndUpstreamErrors()
    {
        var admin = app.Admin;

        var data = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/error-trend?{Window}")).Data;

        Assert.Equal(60, data.GetProperty("bucket_seconds").GetInt32());
        var points = data.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(60, points.Count);
        Assert.Equal(2, points[5].GetProperty("request_errors").GetInt64());
        Assert.Equal(0, points[5].GetProperty("upstream_errors").GetInt64());
        Assert.Equal(3, points[7].GetProperty("upstream_errors").GetInt64());
        Assert.Equal(2, points.Sum(p => p.GetProperty("request_errors").GetInt64()));
        Assert.Equal(3, points.Sum(p => p.GetProperty("upstream_errors").GetInt64()));
    }

    [Fact]
    public async Task ErrorDistribution_ByTypeStatusAndAccount_WithNamesAndNewestMessage()
    {
        var (seeded, admin) = (app.Seeded, app.Admin);

        var data = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/error-distribution?{Window}")).Data;

        Assert.Equal([("api_error", 1L), ("rate_limit_error", 1L)], KeyCounts(data.GetProperty("by_type")));
        Assert.Equal([("429", 1L), ("502", 1L)], KeyCounts(data.GetProperty("by_status")));
        var byAccount = data.GetProperty("by_account").EnumerateArray().ToList();
        Assert.Equal(2, byAccount.Count);
        Assert.Equal(seeded.AccountA, byAccount[0].GetProperty("account_id").GetInt64());
        Assert.Equal(seeded.AccountAName, byAccount[0].GetProperty("account_name").GetString());
        Assert.Equal("anthropic", byAccount[0].GetProperty("platform").GetString());
        Assert.Equal(2, byAccount[0].GetProperty("count").GetInt64());
        Assert.Equal(Start.AddMinutes(7).AddSeconds(20), byAccount[0].GetProperty("last_error_at").GetDateTime().ToUniversalTime());
        Assert.Equal("newest A failure", byAccount[0].GetProperty("last_message").GetString());
        Assert.Equal(seeded.AccountB, byAccount[1].GetProperty("account_id").GetInt64());
        Assert.Equal(seeded.AccountBName, byAccount[1].GetProperty("account_name").GetString());
        Assert.Equal(1, byAccount[1].GetProperty("count").GetInt64());
        Assert.Equal("B failure", byAccount[1].GetProperty("last_message").GetString());
    }

    [Fact]
    public async Task Requests_MergesSuccessesAndErrors_NewestFirst_WithFiltersAndPaging()
    {
        var (seeded, admin) = (app.Seeded, app.Admin);

        var all = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&page_size=5")).Data;
        Assert.Equal(20, all.GetProperty("total").GetInt64());
        Assert.Equal(4, all.GetProperty("pages").GetInt32());
        var first = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["req-ok-17", "req-ok-16", "req-ok-15", "req-ok-14", "req-ok-13"], first.Select(i => i.GetProperty("request_id").GetString()));
        var top = first[0];
        Assert.Equal("success", top.GetProperty("kind").GetString());
        Assert.Equal(200, top.GetProperty("status_code").GetInt32());
        Assert.Equal(900, top.GetProperty("duration_ms").GetInt32());
        Assert.Equal(180, top.GetProperty("ttft_ms").GetInt32());
        Assert.Equal(15, top.GetProperty("tokens").GetInt64());
        Assert.Equal(0.002m, top.GetProperty("cost").GetDecimal());
        Assert.Equal(seeded.UserEmail, top.GetProperty("user_email").GetString());
        Assert.Equal(seeded.AccountAName, top.GetProperty("account_name").GetString());
        Assert.Equal("anthropic", top.GetProperty("platform").GetString());
        Assert.True(top.GetProperty("stream").GetBoolean());

        // Page 3 holds minutes 7..5 and the two failures at minute 5, in time order.
        var third = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&page_size=5&page=3")).Data;
        Assert.Equal(["req-ok-07", "req-ok-06", "req-err-2", "req-ok-05", "req-err-1"],
            third.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("request_id").GetString()));

        var errors = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&kind=error")).Data;
        Assert.Equal(2, errors.GetProperty("total").GetInt64());
        var error = errors.GetProperty("items").EnumerateArray().Last();
        Assert.Equal("req-err-1", error.GetProperty("request_id").GetString());
        Assert.Equal("error", error.GetProperty("kind").GetString());
        Assert.Equal(429, error.GetProperty("status_code").GetInt32());
        Assert.Equal("rate_limit_error", error.GetProperty("error_type").GetString());
        Assert.Equal("too many", error.GetProperty("message").GetString());
        Assert.Equal(seeded.AccountAName, error.GetProperty("account_name").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("tokens").ValueKind);

        var byId = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&q=req-ok-1")).Data;
        Assert.Equal(8, byId.GetProperty("total").GetInt64()); // req-ok-10 … req-ok-17
        var byModel = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&model=claude-opus-4-1")).Data;
        Assert.Equal(2, byModel.GetProperty("total").GetInt64());
        var byUser = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&user_id={seeded.UserId}&kind=success")).Data;
        Assert.Equal(18, byUser.GetProperty("total").GetInt64());
        var byAccount = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&account_id={seeded.AccountB}")).Data;
        Assert.Equal(0, byAccount.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task BadInput_Is400()
    {
        foreach (var route in new[]
        {
            "dashboard/overview?time_range=2h",
            "dashboard/throughput-trend?start_time=yesterday",
            "dashboard/error-trend?start_time=2026-05-01T11:00:00Z&end_time=2026-05-01T10:00:00Z",
            "dashboard/latency-histogram?start_time=2026-03-01T00:00:00Z&end_time=2026-05-01T00:00:00Z", // over 31 days
            "dashboard/error-distribution?group_id=abc",
            "dashboard/overview?platform=nope",
            "concurrency?account_id=-1",
            "account-availability?platform=x",
            "requests?kind=maybe",
            "requests?page_size=500&page=21", // deeper than 10,000 rows
            "requests?user_id=0",
        })
        {
            (await app.Admin.GetAsync($"/api/v1/admin/ops/{route}")).ShouldFail(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task EveryRoute_IsAdminOnly()
    {
        var (user, _) = await app.Scenario.App.CreateUserAsync("ops-viewer@example.com");
        foreach (var route in new[]
        {
            "dashboard/overview", "dashboard/throughput-trend", "dashboard/latency-histogram", "dashboard/error-trend",
            "dashboard/error-distribution", "concurrency", "user-concurrency", "account-availability", "requests",
        })
        {
            (await user.GetAsync($"/api/v1/admin/ops/{route}")).ShouldFail(HttpStatusCode.Forbidden);
            (await app.Scenario.App.Api().GetAsync($"/api/v1/admin/ops/{route}")).ShouldFail(HttpStatusCode.Unauthorized);
        }
    }

    private static List<(string, long)> KeyCounts(JsonElement list) =>
        [.. list.EnumerateArray().Select(e => (e.GetProperty("key").GetString()!, e.GetProperty("count").GetInt64()))];
}

using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.Ops.Dashboard;

namespace Sub2Api.IntegrationTests.Ops.Dashboard;

/// <summary>
/// The ops dashboard's queries on PostgreSQL: the date-part grouping of every bucket size, the correlated "newest
/// failure per account" lookup, the sample reads for percentiles and the drilldown's prefix search give the same
/// answers as on SQLite.
/// </summary>
public sealed class OpsDashboardPostgresTests
{
    private const string Window = OpsDashboardSeed.Window;

    [Fact]
    public async Task EveryRoute_AnswersTheSeededHourExactly_InPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var scenario = await RelayScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
        });
        var seeded = await OpsDashboardSeed.SeedHourAsync(scenario);
        var admin = await scenario.App.AdminAsync();

        var overview = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/overview?{Window}&platform=anthropic")).Data;
        Assert.Equal(20, overview.GetProperty("request_count").GetInt64());
        Assert.Equal(3, overview.GetProperty("upstream_error_count").GetInt64());
        Assert.Equal(90, overview.GetProperty("success_rate").GetDouble());
        Assert.Equal(0.075, overview.GetProperty("tps").GetDouble());
        Assert.Equal(950, overview.GetProperty("p95_latency_ms").GetInt32());
        Assert.Equal(180, overview.GetProperty("p99_ttft_ms").GetInt32());
        Assert.Equal(2, overview.GetProperty("active_alerts").GetInt64());
        Assert.Equal(2, overview.GetProperty("accounts_available").GetInt32());

        foreach (var (from, to, bucket, requests) in new[]
        {
            ("2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z", 60, 3L),
            ("2026-05-01T06:00:00Z", "2026-05-01T12:00:00Z", 300, 7L),
            ("2026-04-25T00:00:00Z", "2026-05-02T00:00:00Z", 3600, 20L),
            ("2026-04-25T00:00:00Z", "2026-05-05T00:00:00Z", 86400, 23L),
        })
        {
            var trend = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/throughput-trend?start_time={from}&end_time={to}")).Data;
            Assert.Equal(bucket, trend.GetProperty("bucket_seconds").GetInt32());
            var at = OpsDashboardSeed.Start.AddMinutes(5);
            at = new DateTime(at.Ticks - at.Ticks % TimeSpan.FromSeconds(bucket).Ticks, DateTimeKind.Utc);
            var point = trend.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("time").GetDateTime().ToUniversalTime() == at);
            Assert.Equal(requests, point.GetProperty("request_count").GetInt64());
        }

        var errors = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/error-trend?{Window}")).Data.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(3, errors[7].GetProperty("upstream_errors").GetInt64());

        var histogram = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/latency-histogram?{Window}")).Data;
        Assert.Equal(10, histogram.GetProperty("buckets")[3].GetProperty("count").GetInt64());

        var distribution = (await admin.GetAsync($"/api/v1/admin/ops/dashboard/error-distribution?{Window}")).Data;
        var first = distribution.GetProperty("by_account")[0];
        Assert.Equal(seeded.AccountAName, first.GetProperty("account_name").GetString());
        Assert.Equal("newest A failure", first.GetProperty("last_message").GetString());
        Assert.Equal("429", distribution.GetProperty("by_status")[0].GetProperty("key").GetString());

        var page = (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&page_size=5&page=3")).Data;
        Assert.Equal(["req-ok-07", "req-ok-06", "req-err-2", "req-ok-05", "req-err-1"],
            page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("request_id").GetString()));
        Assert.Equal(8, (await admin.GetAsync($"/api/v1/admin/ops/requests?{Window}&q=req-ok-1")).Data.GetProperty("total").GetInt64());

        var availability = (await admin.GetAsync("/api/v1/admin/ops/account-availability")).Data;
        var accountA = availability.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("account_id").GetInt64() == seeded.AccountA);
        Assert.Equal("newest A failure", accountA.GetProperty("last_error_message").GetString());
        Assert.Equal(JsonValueKind.Array, (await admin.GetAsync("/api/v1/admin/ops/user-concurrency")).Data.GetProperty("users").ValueKind);
    }
}

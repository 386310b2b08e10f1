using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// The ops console's read routes under <c>/admin/ops</c>: the overview, its charts, live concurrency and account
/// availability, and the request drilldown. Time-ranged routes read <c>time_range</c> or <c>start_time</c>/<c>end_time</c>;
/// all read the optional <c>platform</c>, <c>group_id</c> and <c>account_id</c> filters.
/// </summary>
internal static class OpsDashboardApi
{
    public static void MapOpsDashboard(this RouteGroupBuilder admin)
    {
        var ops = admin.MapGroup("/ops");
        ops.MapGet("/dashboard/overview", async (HttpRequest request, Sub2ApiDbContext db, AccountPool pool, AccountHealth health,
            IConcurrencySlots slots, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var window = OpsDashboardWindow.FromQuery(request, now);
            return Api.Ok(await OverviewAsync(db, window, new OpsAccountStates(pool, health, time), new OpsConcurrencyQueries(pool, slots, time), ct));
        });
        ops.MapGet("/dashboard/throughput-trend", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await OpsTrafficQueries.ThroughputAsync(db, Window(request, time), ct)));
        ops.MapGet("/dashboard/latency-histogram", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await OpsTrafficQueries.HistogramAsync(db, Window(request, time), ct)));
        ops.MapGet("/dashboard/error-trend", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await OpsTrafficQueries.ErrorTrendAsync(db, Window(request, time), ct)));
        ops.MapGet("/dashboard/error-distribution", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await OpsTrafficQueries.DistributionAsync(db, Window(request, time), ct)));
        ops.MapGet("/concurrency", async (HttpRequest request, AccountPool pool, IConcurrencySlots slots, TimeProvider time,
            CancellationToken ct) =>
            Api.Ok(await new OpsConcurrencyQueries(pool, slots, time).AccountsAsync(Filters(request, time), ct)));
        ops.MapGet("/user-concurrency", async (Sub2ApiDbContext db, AccountPool pool, IConcurrencySlots slots, TimeProvider time,
            CancellationToken ct) =>
            Api.Ok(await new OpsConcurrencyQueries(pool, slots, time).UsersAsync(db, ct)));
        ops.MapGet("/account-availability", async (HttpRequest request, Sub2ApiDbContext db, AccountPool pool, AccountHealth health,
            TimeProvider time, CancellationToken ct) =>
            Api.Ok(await new OpsAccountStates(pool, health, time).AvailabilityAsync(db, Filters(request, time), ct)));
        ops.MapGet("/requests", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await OpsRequestsQuery.PageAsync(db, request, Window(request, time), ct)));
    }

    private static OpsDashboardWindow Window(HttpRequest request, TimeProvider time) =>
        OpsDashboardWindow.FromQuery(request, time.GetUtcNow().UtcDateTime);

    private static OpsDashboardWindow Filters(HttpRequest request, TimeProvider time) =>
        OpsDashboardWindow.FiltersOnly(request, time.GetUtcNow().UtcDateTime);

    internal static async Task<OpsOverviewDto> OverviewAsync(Sub2ApiDbContext db, OpsDashboardWindow window, OpsAccountStates states,
        OpsConcurrencyQueries concurrency, CancellationToken ct)
    {
        var traffic = await OpsTrafficQueries.TrafficAsync(db, window, ct);
        var availability = await states.AvailabilityAsync(db, window, ct);
        var load = await concurrency.AccountsAsync(window, ct);
        var activeAlerts = await db.OpsAlertEvents.AsNoTracking().LongCountAsync(e => e.Status == "firing", ct);
        var seconds = window.Span.TotalSeconds;
        var requests = traffic.RequestCount;
        var latency = traffic.Latency;
        return new OpsOverviewDto(
            window.Start,
            window.End,
            requests,
            traffic.SuccessCount,
            traffic.RequestErrors,
            OpsTrafficQueries.Percent(traffic.SuccessCount, requests),
            OpsTrafficQueries.Percent(traffic.RequestErrors, requests),
            traffic.UpstreamErrors,
            // Failed upstream attempts per client request (failovers can make it exceed 100).
            OpsTrafficQueries.Percent(traffic.UpstreamErrors, requests),
            OpsTrafficQueries.Round(OpsTrafficQueries.PerSecond(requests, seconds), 4),
            OpsTrafficQueries.Round(OpsTrafficQueries.PerSecond(traffic.Tokens, seconds), 4),
            OpsLatency.Percentile(latency.Durations, 50),
            OpsLatency.Percentile(latency.Durations, 95),
            OpsLatency.Percentile(latency.Durations, 99),
            OpsLatency.Percentile(latency.FirstTokens, 95),
            OpsLatency.Percentile(latency.FirstTokens, 99),
            activeAlerts,
            availability.Accounts.Count,
            availability.Summary.Available,
            availability.Summary.RateLimited,
            availability.Summary.Error,
            load.TotalInUse,
            load.TotalWaiting);
    }
}

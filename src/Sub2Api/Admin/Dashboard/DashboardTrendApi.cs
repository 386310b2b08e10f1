using Sub2Api.Common;
using Sub2Api.Data;

namespace Sub2Api.Admin.Dashboard;

/// <summary>
/// The admin dashboard's charts: <c>trend</c>, <c>models</c>, <c>users-trend</c>, <c>api-keys-trend</c>. Each takes
/// <c>start_date</c>/<c>end_date</c> (default: the last 7 days) and the usage filters (<c>user_id, api_key_id,
/// account_id, group_id, model…</c>); the trends also take <c>granularity=day|hour</c>, the top-N ones <c>limit</c>.
/// </summary>
internal static class DashboardTrendApi
{
    public static void MapAdminDashboardTrends(this RouteGroupBuilder group)
    {
        group.MapGet("/dashboard/trend", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await DashboardTrendQueries.TrendAsync(db, Range(request, time), ct)));

        group.MapGet("/dashboard/models", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await DashboardTrendQueries.ModelsAsync(db, Range(request, time), ct)));

        group.MapGet("/dashboard/users-trend", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var range = Range(request, time);
            return Api.Ok(await DashboardTrendQueries.UsersTrendAsync(db, range, DashboardRange.ReadLimit(request), ct));
        });

        group.MapGet("/dashboard/api-keys-trend", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var range = Range(request, time);
            return Api.Ok(await DashboardTrendQueries.ApiKeysTrendAsync(db, range, DashboardRange.ReadLimit(request), ct));
        });
    }

    private static DashboardRange Range(HttpRequest request, TimeProvider time) =>
        DashboardRange.FromQuery(request, time.GetUtcNow().UtcDateTime);
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// The rows a window counts: successes are usage_logs (billed requests), failures are ops error rows — kind
/// "request" for what a client saw, kind "upstream" for each failed upstream attempt. A window is half-open
/// (start included, end excluded), UTC.
/// </summary>
internal static class OpsTrafficRows
{
    public static IQueryable<UsageLog> Successes(Sub2ApiDbContext db, OpsDashboardWindow window)
    {
        var rows = db.UsageLogs.AsNoTracking().Where(u => u.CreatedAt >= window.Start && u.CreatedAt < window.End);
        if (window.Platform is { } platform)
        {
            // usage_logs has no platform column: the serving account's platform decides (deleted accounts included,
            // their requests are still history).
            var accounts = db.Accounts.IgnoreQueryFilters().Where(a => a.Platform == platform).Select(a => a.Id);
            rows = rows.Where(u => accounts.Contains(u.AccountId));
        }
        if (window.GroupId is { } groupId)
        {
            rows = rows.Where(u => u.GroupId == groupId);
        }
        if (window.AccountId is { } accountId)
        {
            rows = rows.Where(u => u.AccountId == accountId);
        }
        return rows;
    }

    public static IQueryable<OpsErrorLog> RequestErrors(Sub2ApiDbContext db, OpsDashboardWindow window) =>
        Errors(db, window, OpsErrorKinds.Request);

    public static IQueryable<OpsErrorLog> UpstreamErrors(Sub2ApiDbContext db, OpsDashboardWindow window) =>
        Errors(db, window, OpsErrorKinds.Upstream);

    private static IQueryable<OpsErrorLog> Errors(Sub2ApiDbContext db, OpsDashboardWindow window, string kind)
    {
        var rows = db.OpsErrorLogs.AsNoTracking().Where(e => e.Kind == kind && e.CreatedAt >= window.Start && e.CreatedAt < window.End);
        if (window.Platform is { } platform)
        {
            rows = rows.Where(e => e.Platform == platform);
        }
        if (window.GroupId is { } groupId)
        {
            rows = rows.Where(e => e.GroupId == groupId);
        }
        if (window.AccountId is { } accountId)
        {
            rows = rows.Where(e => e.AccountId == accountId);
        }
        return rows;
    }
}

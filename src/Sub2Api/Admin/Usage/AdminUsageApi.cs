using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Usage;

/// <summary><c>/admin/usage</c>: every user's usage rows and totals, with all filters (SPEC §2.5).</summary>
internal static class AdminUsageApi
{
    public static void MapAdminUsage(this RouteGroupBuilder group)
    {
        var usage = group.MapGroup("/usage");

        usage.MapGet("", async (HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var page = PageRequest.From(request);
            var rows = db.UsageLogs.AsNoTracking().Filter(UsageFilter.FromQuery(request)).NewestFirst();
            var found = await rows.ToPageAsync(page, u => u, ct);
            return Api.Ok(page.Wrap(await AdminUsageLogDto.FromAsync(found.Items, db, ct), found.Total));
        });

        usage.MapGet("/stats", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var filter = UsageFilter.FromQuery(request).WithPeriod(request, time.GetUtcNow().UtcDateTime);
            return Api.Ok(await db.UsageLogs.AsNoTracking().Filter(filter).StatsAsync(ct));
        });
    }
}

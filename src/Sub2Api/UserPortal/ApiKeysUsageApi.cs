using Microsoft.EntityFrameworkCore;
using Sub2Api.Admin.Dashboard;
using Sub2Api.Auth;
using Sub2Api.Data;

namespace Sub2Api.UserPortal;

/// <summary>
/// <c>POST /usage/dashboard/api-keys-usage</c>: today's and total cost per key for the keys page, over the
/// caller's own usage only (someone else's key id simply reports zero).
/// </summary>
internal static class ApiKeysUsageApi
{
    public static void MapUserApiKeysUsage(this RouteGroupBuilder user)
    {
        user.MapPost("/usage/dashboard/api-keys-usage", async (BatchIdsRequest req, CurrentUser me, Sub2ApiDbContext db, TimeProvider time,
            CancellationToken ct) =>
            await DashboardBatchApi.ApiKeysUsageAsync(req, db.UsageLogs.AsNoTracking().Where(u => u.UserId == me.Id), time, ct));
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;

namespace Sub2Api.UserPortal;

/// <summary>
/// <c>GET /groups/rates</c>: <c>{"&lt;group id&gt;": multiplier}</c> for every group the caller may bind a key to —
/// the caller's own rate for the group when an admin set one, else the group's multiplier. The original's pages
/// read it as a map from group id to rate.
/// </summary>
internal static class GroupRatesApi
{
    public static void MapGroupRatesApi(this RouteGroupBuilder user)
    {
        user.MapGet("/groups/rates", async (CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var groups = await GroupAccess.Bindable(db, me.Id, now).AsNoTracking()
                .Select(g => new { g.Id, g.RateMultiplier })
                .ToListAsync(ct);
            var own = await db.UserGroupRateMultipliers.AsNoTracking()
                .Where(r => r.UserId == me.Id)
                .ToDictionaryAsync(r => r.GroupId, r => r.Rate, ct);
            return Api.Ok(groups.OrderBy(g => g.Id).ToDictionary(
                g => g.Id.ToString(CultureInfo.InvariantCulture),
                g => own.GetValueOrDefault(g.Id, g.RateMultiplier)));
        });
    }
}

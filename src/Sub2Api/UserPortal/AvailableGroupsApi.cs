using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;

namespace Sub2Api.UserPortal;

/// <summary>A group the caller may bind a key to, with the rate the caller actually pays.</summary>
internal sealed record AvailableGroupDto(
    long Id, string Name, string Description, string Platform, decimal RateMultiplier, string SubscriptionType,
    bool IsExclusive, decimal? DailyLimitUsd, decimal? WeeklyLimitUsd, decimal? MonthlyLimitUsd);

/// <summary><c>GET /groups/available</c>.</summary>
internal static class AvailableGroupsApi
{
    public static void MapAvailableGroupsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/groups/available", async (CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var groups = await GroupAccess.Bindable(db, me.Id, now).AsNoTracking()
                .OrderBy(g => g.SortOrder).ThenBy(g => g.Id)
                .ToListAsync(ct);
            // A per-user rate beats the group's own multiplier.
            var rates = await db.UserGroupRateMultipliers.AsNoTracking()
                .Where(r => r.UserId == me.Id)
                .ToDictionaryAsync(r => r.GroupId, r => r.Rate, ct);
            return Api.Ok(groups.Select(g => new AvailableGroupDto(
                g.Id, g.Name, g.Description, g.Platform, rates.GetValueOrDefault(g.Id, g.RateMultiplier), g.SubscriptionType,
                g.IsExclusive, g.DailyLimitUsd, g.WeeklyLimitUsd, g.MonthlyLimitUsd)).ToList());
        });
    }
}

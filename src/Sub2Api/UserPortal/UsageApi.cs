using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Usage;

namespace Sub2Api.UserPortal;

/// <summary><c>/usage</c>: the caller's own usage rows and totals (SPEC §2.4).</summary>
internal static class UsageApi
{
    public static void MapUserUsageApi(this RouteGroupBuilder group)
    {
        var usage = group.MapGroup("/usage");

        usage.MapGet("", async (CurrentUser me, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var page = PageRequest.From(request);
            var filter = UsageFilter.FromQuery(request);
            if (await CheckOwnKeyAsync(db, me, filter, ct) is { } denied)
            {
                return denied;
            }
            var rows = db.UsageLogs.AsNoTracking().Filter(Own(filter, me)).NewestFirst();
            return Api.Ok(await rows.ToPageAsync(page, UserUsageLogDto.From, ct));
        });

        usage.MapGet("/stats", async (CurrentUser me, HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var filter = UsageFilter.FromQuery(request).WithPeriod(request, time.GetUtcNow().UtcDateTime);
            if (await CheckOwnKeyAsync(db, me, filter, ct) is { } denied)
            {
                return denied;
            }
            return Api.Ok(await db.UsageLogs.AsNoTracking().Filter(Own(filter, me)).StatsAsync(ct));
        });

        usage.MapGet("/{id}", async (long id, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var row = await db.UsageLogs.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.UserId == me.Id, ct);
            return row is null ? Api.NotFound("usage record not found") : Api.Ok(UserUsageLogDto.From(row));
        });
    }

    // Whatever user_id the query names, a user only ever sees their own rows.
    private static UsageFilter Own(UsageFilter filter, CurrentUser me) => filter with { UserId = me.Id };

    /// <summary>
    /// Filtering by someone else's key would return nothing anyway; answering 404 says so plainly. Deleted
    /// keys still count as the user's own, so their history stays reachable.
    /// </summary>
    private static async Task<IResult?> CheckOwnKeyAsync(Sub2ApiDbContext db, CurrentUser me, UsageFilter filter, CancellationToken ct)
    {
        if (filter.ApiKeyId is not { } keyId)
        {
            return null;
        }
        var own = await db.ApiKeys.IgnoreQueryFilters().AnyAsync(k => k.Id == keyId && k.UserId == me.Id, ct);
        return own ? null : Api.NotFound("api_key_id does not name one of your API keys");
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>
/// <c>/api/v1/subscriptions</c>: the caller's own subscriptions and their window progress. Another user's
/// subscription is a 404, the same answer as one that does not exist.
/// </summary>
internal static class UserSubscriptionsApi
{
    public static void MapUserSubscriptions(this RouteGroupBuilder user)
    {
        var subscriptions = user.MapGroup("/subscriptions");
        subscriptions.MapGet("", ListAsync);
        subscriptions.MapGet("/active", ActiveAsync);
        subscriptions.MapGet("/progress", AllProgressAsync);
        subscriptions.MapGet("/summary", SummaryAsync);
        subscriptions.MapGet("/{id}/progress", ProgressAsync);
    }

    private static DateTime Now(TimeProvider time) => time.GetUtcNow().UtcDateTime;

    private static IQueryable<UserSubscription> Own(Sub2ApiDbContext db, long userId) =>
        db.UserSubscriptions.AsNoTracking().Where(s => s.UserId == userId);

    private static IQueryable<UserSubscription> OwnActive(Sub2ApiDbContext db, long userId, DateTime now) =>
        Own(db, userId).Where(SubscriptionView.HasStatus(Statuses.Active, now));

    private static async Task<IResult> ListAsync(CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = Now(time);
        return Api.Ok(await SubscriptionQueries.ListAsync(db, Own(db, me.Id), r => UserSubscriptionDto.From(r.Subscription, r.Group, now), ct));
    }

    private static async Task<IResult> ActiveAsync(CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = Now(time);
        return Api.Ok(await SubscriptionQueries.ListAsync(db, OwnActive(db, me.Id, now), r => UserSubscriptionDto.From(r.Subscription, r.Group, now), ct));
    }

    private static async Task<IResult> AllProgressAsync(CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = Now(time);
        var rows = await SubscriptionQueries.ListAsync(db, OwnActive(db, me.Id, now), r => r, ct);
        return Api.Ok(rows.Where(r => r.Group is not null)
            .Select(r => new SubscriptionWithProgressDto(UserSubscriptionDto.From(r.Subscription, r.Group, now),
                SubscriptionProgressDto.From(r.Subscription, r.Group!, now)))
            .ToList());
    }

    private static async Task<IResult> SummaryAsync(CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = Now(time);
        var rows = await SubscriptionQueries.ListAsync(db, OwnActive(db, me.Id, now), r => r, ct);
        var items = rows.Select(r =>
        {
            var s = r.Subscription;
            var (daily, weekly, monthly) = SubscriptionView.Windows(s, now);
            return new SubscriptionSummaryItemDto(s.Id, s.GroupId, r.Group?.Name ?? "", SubscriptionView.Status(s, now),
                daily.UsedUsd, r.Group?.DailyLimitUsd, weekly.UsedUsd, r.Group?.WeeklyLimitUsd, monthly.UsedUsd, r.Group?.MonthlyLimitUsd,
                s.ExpiresAt, SubscriptionView.DaysRemaining(s, now));
        }).ToList();
        return Api.Ok(new SubscriptionSummaryDto(items.Count, items.Sum(i => i.MonthlyUsedUsd), items));
    }

    private static async Task<IResult> ProgressAsync(long id, CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        await SubscriptionQueries.FindAsync(db, id, me.Id, ct) is { Group: { } group } row
            ? Api.Ok(SubscriptionProgressDto.From(row.Subscription, group, Now(time)))
            : Api.NotFound($"subscription {id} not found", "SUBSCRIPTION_NOT_FOUND");
}

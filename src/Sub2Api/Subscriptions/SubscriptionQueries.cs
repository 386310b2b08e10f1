using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>A subscription with its user and group (still shown after they are soft-deleted, so the row keeps its names).</summary>
internal sealed record SubscriptionRow(UserSubscription Subscription, User? User, Group? Group);

/// <summary>Loads subscriptions with the users and groups they name: one query per page, plus one each for users and groups.</summary>
internal static class SubscriptionQueries
{
    public static async Task<PagedResult<T>> PageAsync<T>(Sub2ApiDbContext db, IQueryable<UserSubscription> query, PageRequest page,
        Func<SubscriptionRow, T> map, CancellationToken ct)
    {
        var total = await query.LongCountAsync(ct);
        var subscriptions = await query.OrderByDescending(s => s.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var rows = await WithRelationsAsync(db, subscriptions, ct);
        return page.Wrap(rows.Select(map).ToList(), total);
    }

    public static async Task<List<T>> ListAsync<T>(Sub2ApiDbContext db, IQueryable<UserSubscription> query,
        Func<SubscriptionRow, T> map, CancellationToken ct)
    {
        var subscriptions = await query.OrderByDescending(s => s.Id).ToListAsync(ct);
        return (await WithRelationsAsync(db, subscriptions, ct)).Select(map).ToList();
    }

    public static async Task<SubscriptionRow?> FindAsync(Sub2ApiDbContext db, long id, long? ownerId, CancellationToken ct)
    {
        var subscription = await db.UserSubscriptions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == id && (ownerId == null || s.UserId == ownerId), ct);
        return subscription is null ? null : (await WithRelationsAsync(db, [subscription], ct))[0];
    }

    public static async Task<List<SubscriptionRow>> WithRelationsAsync(Sub2ApiDbContext db, IReadOnlyList<UserSubscription> subscriptions,
        CancellationToken ct)
    {
        var userIds = subscriptions.Select(s => s.UserId).Distinct().ToList();
        var groupIds = subscriptions.Select(s => s.GroupId).Distinct().ToList();
        var users = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var groups = groupIds.Count == 0 ? [] : await db.Groups.AsNoTracking().IgnoreQueryFilters().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
        return subscriptions.Select(s => new SubscriptionRow(s, users.GetValueOrDefault(s.UserId), groups.GetValueOrDefault(s.GroupId))).ToList();
    }
}

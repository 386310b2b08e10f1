using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>Why an assignment was refused; <see cref="Code"/> is the original's reason string.</summary>
internal sealed record AssignError(int Status, string Code, string Message);

/// <summary>
/// Gives a user a subscription to a group, the one rule shared by the admin's assign/bulk-assign and a redeemed
/// subscription code: a user holds at most one subscription row per group; assigning while it is still active
/// extends it from its current expiry, otherwise it starts again now with fresh (unstarted) windows.
/// The caller owns the transaction and, after commit, bumps <c>ConfigScope.Callers</c> so every node's key cache
/// sees the change.
/// </summary>
internal static class SubscriptionAssigner
{
    public const int MaxValidityDays = 36500;

    /// <summary>The latest expiry anything may set: repeated extensions would otherwise overflow dates.</summary>
    public static readonly DateTime MaxExpiresAt = new(9000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<(UserSubscription? Subscription, AssignError? Error)> AssignAsync(Sub2ApiDbContext db, long userId, long groupId,
        int validityDays, long? assignedBy, string? notes, DateTime now, CancellationToken cancellationToken)
    {
        if (validityDays is < 1 or > MaxValidityDays)
        {
            return (null, new(400, "INVALID_VALIDITY_DAYS", $"validity_days must be between 1 and {MaxValidityDays}"));
        }
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken);
        if (group is null)
        {
            return (null, new(404, "GROUP_NOT_FOUND", "Group not found"));
        }
        if (group.SubscriptionType != SubscriptionTypes.Subscription)
        {
            return (null, new(400, "GROUP_NOT_SUBSCRIPTION", "Group is not a subscription group"));
        }
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return (null, new(404, "USER_NOT_FOUND", "User not found"));
        }
        var subscription = await db.UserSubscriptions.Where(s => s.UserId == userId && s.GroupId == groupId)
            .OrderByDescending(s => s.ExpiresAt).FirstOrDefaultAsync(cancellationToken);
        var extending = subscription is not null && subscription.Status == Statuses.Active && subscription.ExpiresAt > now;
        if ((extending ? subscription!.ExpiresAt : now).AddDays(validityDays) > MaxExpiresAt)
        {
            return (null, new(400, "INVALID_VALIDITY_DAYS", $"the expiry would pass {MaxExpiresAt:yyyy-MM-dd}"));
        }
        if (extending)
        {
            subscription!.ExpiresAt = subscription.ExpiresAt.AddDays(validityDays);
        }
        else
        {
            if (subscription is null)
            {
                subscription = new UserSubscription { UserId = userId, GroupId = groupId };
                db.UserSubscriptions.Add(subscription);
            }
            subscription.StartsAt = now;
            subscription.ExpiresAt = now.AddDays(validityDays);
            subscription.Status = Statuses.Active;
            subscription.DailyWindowStart = subscription.WeeklyWindowStart = subscription.MonthlyWindowStart = null;
            subscription.DailyUsageUsd = subscription.WeeklyUsageUsd = subscription.MonthlyUsageUsd = 0m;
        }
        subscription.AssignedBy = assignedBy;
        subscription.AssignedAt = now;
        if (notes is not null)
        {
            subscription.Notes = notes;
        }
        return (subscription, null);
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserPortal;

/// <summary>
/// Which groups a user may bind a key to (SPEC §2.4): active groups that are either standard and not
/// exclusive, exclusive and listed in the user's allowed groups, or subscription-type with an active,
/// unexpired subscription of the user's.
/// </summary>
internal static class GroupAccess
{
    public static IQueryable<Group> Bindable(Sub2ApiDbContext db, long userId, DateTime now) =>
        db.Groups.Where(g => g.Status == Statuses.Active && (g.SubscriptionType == SubscriptionTypes.Subscription
            ? db.UserSubscriptions.Any(s => s.UserId == userId && s.GroupId == g.Id && s.Status == Statuses.Active && s.ExpiresAt > now)
            : !g.IsExclusive || db.UserAllowedGroups.Any(a => a.UserId == userId && a.GroupId == g.Id)));

    /// <summary>The group when the user may bind it, else the error to answer with.</summary>
    public static async Task<(Group? Group, IResult? Error)> CheckAsync(Sub2ApiDbContext db, long userId, long groupId,
        DateTime now, CancellationToken ct)
    {
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is null || group.Status != Statuses.Active)
        {
            return (null, Api.BadRequest("group_id does not name an active group"));
        }
        if (await Bindable(db, userId, now).AnyAsync(g => g.Id == groupId, ct))
        {
            return (group, null);
        }
        return group.SubscriptionType == SubscriptionTypes.Subscription
            ? (null, Api.Forbidden("group_id: this group requires an active subscription", "SUBSCRIPTION_REQUIRED"))
            : (null, Api.Forbidden("group_id: you are not allowed to use this exclusive group", "GROUP_NOT_ALLOWED"));
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Announcements;

/// <summary>What targeting rules look at for one user: the balance and the groups of live subscriptions.</summary>
internal sealed record AnnouncementAudience(decimal Balance, IReadOnlySet<long> ActiveSubscriptionGroupIds)
{
    /// <summary>Null when the user does not exist (deleted since the token was issued).</summary>
    public static async Task<AnnouncementAudience?> LoadAsync(Sub2ApiDbContext db, long userId, DateTime now, CancellationToken ct)
    {
        var balance = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (decimal?)u.Balance).FirstOrDefaultAsync(ct);
        if (balance is null)
        {
            return null;
        }
        var groups = await ActiveGroupsAsync(db, [userId], now, ct);
        return new AnnouncementAudience(balance.Value, groups.TryGetValue(userId, out var set) ? set : new HashSet<long>());
    }

    /// <summary>Per user, the groups of subscriptions that are active and not yet expired at <paramref name="now"/>.</summary>
    public static async Task<Dictionary<long, HashSet<long>>> ActiveGroupsAsync(Sub2ApiDbContext db, IReadOnlyCollection<long> userIds,
        DateTime now, CancellationToken ct)
    {
        var rows = await db.UserSubscriptions.AsNoTracking()
            .Where(s => userIds.Contains(s.UserId) && s.Status == Statuses.Active && s.ExpiresAt > now)
            .Select(s => new { s.UserId, s.GroupId })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.GroupId).ToHashSet());
    }

    public bool Sees(Announcement announcement, DateTime now) =>
        IsLive(announcement, now)
        && AnnouncementTargeting.FromStorage(announcement.Targeting).Matches(Balance, ActiveSubscriptionGroupIds);

    /// <summary>Active, started, and not yet ended (an announcement goes away exactly at <c>ends_at</c>).</summary>
    public static bool IsLive(Announcement a, DateTime now) =>
        a.Status == AnnouncementStatuses.Active && (a.StartsAt is null || a.StartsAt <= now) && (a.EndsAt is null || now < a.EndsAt);
}

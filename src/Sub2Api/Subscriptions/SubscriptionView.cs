using System.Linq.Expressions;
using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>
/// How a stored subscription reads at a moment. Nothing flips the stored status at the expiry instant, so an
/// "active" row whose expiry has passed is reported — and filtered — as expired.
/// </summary>
internal static class SubscriptionView
{
    public static readonly string[] FilterStatuses = [Statuses.Active, Statuses.Expired, Statuses.Suspended];

    public static string Status(UserSubscription s, DateTime now) =>
        s.Status == Statuses.Active && s.ExpiresAt <= now ? Statuses.Expired : s.Status;

    /// <summary>Whole days left before expiry, 0 once expired.</summary>
    public static int DaysRemaining(UserSubscription s, DateTime now) =>
        s.ExpiresAt <= now ? 0 : (int)Math.Min(int.MaxValue, Math.Floor((s.ExpiresAt - now).TotalDays));

    /// <summary>Usage windows without limits (the DTOs show usage; limits come with the group).</summary>
    public static (WindowState Daily, WindowState Weekly, WindowState Monthly) Windows(UserSubscription s, DateTime now) =>
        SubscriptionWindows.Of(s, null, now);

    /// <summary>Rows whose status reads as <paramref name="status"/> at <paramref name="now"/> (a validated filter value).</summary>
    public static Expression<Func<UserSubscription, bool>> HasStatus(string status, DateTime now) => status switch
    {
        Statuses.Active => s => s.Status == Statuses.Active && s.ExpiresAt > now,
        Statuses.Expired => s => s.Status == Statuses.Expired || (s.Status == Statuses.Active && s.ExpiresAt <= now),
        _ => s => s.Status == status,
    };
}

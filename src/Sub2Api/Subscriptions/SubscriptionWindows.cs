using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>One spending window of a subscription as of a moment: what counts, and when it starts over.</summary>
internal readonly record struct WindowState(decimal? LimitUsd, decimal UsedUsd, DateTime? WindowStart, DateTime? ResetsAt)
{
    /// <summary>Unlimited windows never block; a limit blocks once usage has reached it.</summary>
    public bool Exhausted => LimitUsd is { } limit && UsedUsd >= limit;

    public decimal? RemainingUsd => LimitUsd is { } limit ? Math.Max(0, limit - UsedUsd) : null;
}

/// <summary>
/// The daily, weekly and monthly windows of a subscription. A window starts on first use at local midnight of that
/// day (in <see cref="SubscriptionClock.TimeZone"/>), runs for 1, 7 or 30 days, and once that span has passed its
/// usage no longer counts: the next charge starts a new window at that day's midnight. Nothing has to run at the
/// boundary — readers see a passed window as empty, and the usage writer restarts it in the same UPDATE that
/// charges it.
/// </summary>
internal static class SubscriptionWindows
{
    public static readonly TimeSpan Daily = TimeSpan.FromDays(1);
    public static readonly TimeSpan Weekly = TimeSpan.FromDays(7);
    public static readonly TimeSpan Monthly = TimeSpan.FromDays(30);

    /// <summary>Whether a window that started at <paramref name="start"/> is still the current one at <paramref name="now"/>.</summary>
    public static bool IsCurrent(DateTime? start, TimeSpan period, DateTime now) => start is { } s && now - s < period;

    /// <summary>The usage that still counts in a window at <paramref name="now"/>.</summary>
    public static decimal Effective(decimal used, DateTime? start, TimeSpan period, DateTime now) =>
        IsCurrent(start, period, now) ? used : 0m;

    /// <summary>
    /// A charge of <paramref name="amount"/> at <paramref name="at"/>: added to the current window, or — when the window
    /// has not started or has passed — the start of a new one at <paramref name="startOfDay"/> (that day's midnight).
    /// The usage writer's UPDATE states the same rule in SQL.
    /// </summary>
    public static (decimal Used, DateTime Start) Charge(decimal used, DateTime? start, TimeSpan period, decimal amount, DateTime at,
        DateTime startOfDay) =>
        IsCurrent(start, period, at) ? (used + amount, start!.Value) : (amount, startOfDay);

    public static WindowState State(decimal? limit, decimal used, DateTime? start, TimeSpan period, DateTime now) =>
        IsCurrent(start, period, now)
            ? new WindowState(limit, used, start, start!.Value + period)
            : new WindowState(limit, 0m, null, null);

    /// <summary>The three windows at <paramref name="now"/>; without a group, usage only (no limits).</summary>
    public static (WindowState Daily, WindowState Weekly, WindowState Monthly) Of(UserSubscription s, Group? g, DateTime now) => (
        State(g?.DailyLimitUsd, s.DailyUsageUsd, s.DailyWindowStart, Daily, now),
        State(g?.WeeklyLimitUsd, s.WeeklyUsageUsd, s.WeeklyWindowStart, Weekly, now),
        State(g?.MonthlyLimitUsd, s.MonthlyUsageUsd, s.MonthlyWindowStart, Monthly, now));
}

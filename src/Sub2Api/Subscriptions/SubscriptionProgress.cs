using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>
/// One window's progress. An unlimited window has no limit, remaining or percentage to speak of (null limit,
/// percentage 0); a window not started yet, or whose span has passed, has no start and no reset time.
/// </summary>
internal sealed record WindowProgressDto(
    decimal? LimitUsd, decimal UsedUsd, decimal? RemainingUsd, decimal Percentage,
    DateTime? WindowStart, DateTime? ResetsAt, long? ResetsInSeconds)
{
    public static WindowProgressDto From(WindowState w, DateTime now) => new(
        w.LimitUsd, w.UsedUsd, w.RemainingUsd, PercentageOf(w), w.WindowStart, w.ResetsAt,
        w.ResetsAt is { } reset ? Math.Max(0, (long)(reset - now).TotalSeconds) : null);

    /// <summary>Share of the limit used, 0–100 with two decimals; a zero limit is fully used from the start.</summary>
    private static decimal PercentageOf(WindowState w) => w.LimitUsd switch
    {
        null => 0m,
        <= 0m => 100m,
        { } limit => Math.Min(100m, Math.Round(w.UsedUsd / limit * 100m, 2, MidpointRounding.AwayFromZero)),
    };
}

/// <summary>A subscription's three windows and how long it still runs.</summary>
internal sealed record SubscriptionProgressDto(
    long Id, long GroupId, string GroupName, string Status, DateTime ExpiresAt, int ExpiresInDays,
    WindowProgressDto Daily, WindowProgressDto Weekly, WindowProgressDto Monthly)
{
    public static SubscriptionProgressDto From(UserSubscription s, Group g, DateTime now)
    {
        var (daily, weekly, monthly) = SubscriptionWindows.Of(s, g, now);
        return new(s.Id, s.GroupId, g.Name, SubscriptionView.Status(s, now), s.ExpiresAt, SubscriptionView.DaysRemaining(s, now),
            WindowProgressDto.From(daily, now), WindowProgressDto.From(weekly, now), WindowProgressDto.From(monthly, now));
    }
}

/// <summary>One entry of <c>GET /subscriptions/progress</c>: the subscription and its progress.</summary>
internal sealed record SubscriptionWithProgressDto(UserSubscriptionDto Subscription, SubscriptionProgressDto Progress);

/// <summary>One active subscription in <c>GET /subscriptions/summary</c>; a null limit is unlimited.</summary>
internal sealed record SubscriptionSummaryItemDto(
    long Id, long GroupId, string GroupName, string Status,
    decimal DailyUsedUsd, decimal? DailyLimitUsd, decimal WeeklyUsedUsd, decimal? WeeklyLimitUsd,
    decimal MonthlyUsedUsd, decimal? MonthlyLimitUsd, DateTime ExpiresAt, int DaysRemaining);

/// <summary><c>GET /subscriptions/summary</c>: total_used_usd sums the monthly windows, the widest of the three.</summary>
internal sealed record SubscriptionSummaryDto(int ActiveCount, decimal TotalUsedUsd, IReadOnlyList<SubscriptionSummaryItemDto> Subscriptions);

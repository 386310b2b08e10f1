using Sub2Api.Auth;

namespace Sub2Api.Subscriptions;

/// <summary>A subscription group's caps against a subscription's live usage. A cap that is not set never blocks.</summary>
internal static class SubscriptionCaps
{
    /// <summary>A window whose usage has reached its cap blocks further requests until it starts over.</summary>
    public static bool Reached(CallerGroup group, SubscriptionUsage usage) =>
        usage.Daily >= group.DailyLimitUsd || usage.Weekly >= group.WeeklyLimitUsd || usage.Monthly >= group.MonthlyLimitUsd;

    /// <summary>What may still be spent: 0 once any cap is reached, else the smallest remainder; −1 when nothing is capped.</summary>
    public static decimal Remaining(CallerGroup group, SubscriptionUsage usage)
    {
        decimal? smallest = null;
        foreach (var (limit, used) in new[] { (group.DailyLimitUsd, usage.Daily), (group.WeeklyLimitUsd, usage.Weekly), (group.MonthlyLimitUsd, usage.Monthly) })
        {
            if (limit is { } cap)
            {
                var left = Math.Max(0m, cap - used);
                smallest = smallest is { } s ? Math.Min(s, left) : left;
            }
        }
        return smallest ?? -1m;
    }
}

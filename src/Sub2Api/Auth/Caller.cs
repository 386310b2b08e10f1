using System.Net;

namespace Sub2Api.Auth;

/// <summary>Who is calling the gateway: the key, its user, group and subscription, as cached snapshots.</summary>
internal sealed record Caller(CallerKey Key, CallerUser User, CallerGroup? Group, CallerSubscription? Subscription)
{
    /// <summary>User-group rate &gt; group rate &gt; default (SPEC §5.3).</summary>
    public decimal RateMultiplier(decimal defaultRate) => User.GroupRate ?? Group?.RateMultiplier ?? defaultRate;
}

internal sealed record CallerKey(long Id, long UserId, string Name, long? GroupId, string Status, DateTime? ExpiresAt,
    decimal Quota, decimal QuotaUsed, IReadOnlyList<IPNetwork> IpWhitelist, IReadOnlyList<IPNetwork> IpBlacklist);

internal sealed record CallerUser(long Id, string Status, int Concurrency, decimal? GroupRate);

internal sealed record CallerGroup(long Id, string Name, string Platform, decimal RateMultiplier, string SubscriptionType,
    string Status, bool ClaudeCodeOnly, decimal? DailyLimitUsd, decimal? WeeklyLimitUsd, decimal? MonthlyLimitUsd);

/// <summary>The subscription's identity and validity; its usage is live, in <see cref="Subscriptions.SubscriptionUsageView"/>.</summary>
internal sealed record CallerSubscription(long Id, string Status, DateTime ExpiresAt);

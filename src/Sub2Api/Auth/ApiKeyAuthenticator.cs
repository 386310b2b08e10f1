using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Billing;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Security;

namespace Sub2Api.Auth;

/// <summary>A gateway authentication failure: status, machine code (SPEC §2.2) and message.</summary>
internal sealed record GatewayAuthError(int Status, string Code, string Message);

/// <summary>
/// Step 1 of the relay: the API key from headers, checked in the original's order (SPEC §2.2): key, status,
/// expiry, quota, IP lists, user, subscription, balance. Callers are cached by key hash and rebuilt when the
/// configuration generation moves (any admin change), so a request costs no database read; balances come from
/// <see cref="BalanceView"/>.
/// </summary>
internal sealed class ApiKeyAuthenticator(ApiKeys apiKeys, IDbContextFactory<Sub2ApiDbContext> dbFactory,
    ConfigGeneration generation, BalanceView balances, Subscriptions.SubscriptionUsageView subscriptions, RunMode runMode, TimeProvider time)
{
    private const int MaxEntries = 65_536;
    private static readonly TimeSpan PositiveTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);

    /// <summary><c>Authorization: Bearer</c> → <c>x-api-key</c> → <c>x-goog-api-key</c>.</summary>
    public static string? ExtractKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return authorization[7..].Trim();
        }
        var key = request.Headers["x-api-key"].ToString();
        if (key.Length > 0)
        {
            return key.Trim();
        }
        key = request.Headers["x-goog-api-key"].ToString();
        return key.Length > 0 ? key.Trim() : null;
    }

    public async Task<(Caller? Caller, GatewayAuthError? Error)> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Query.ContainsKey("key") || request.Query.ContainsKey("api_key"))
        {
            return (null, new(400, "api_key_in_query_deprecated", "API key in the query string is not allowed; send it in the Authorization or x-api-key header"));
        }
        var raw = ExtractKey(request);
        if (string.IsNullOrEmpty(raw))
        {
            return (null, new(401, "API_KEY_REQUIRED", "API key is required in the Authorization header (Bearer) or x-api-key"));
        }
        if (raw.Length > ApiKeys.MaxLength)
        {
            return (null, new(401, "INVALID_API_KEY", "Invalid API key"));
        }
        var caller = await LookupAsync(apiKeys.Hash(raw), cancellationToken);
        if (caller is null)
        {
            return (null, new(401, "INVALID_API_KEY", "Invalid API key"));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var key = caller.Key;
        switch (key.Status)
        {
            case Statuses.QuotaExhausted:
                return (null, new(429, "API_KEY_QUOTA_EXHAUSTED", "API key quota exhausted"));
            case Statuses.Expired:
                return (null, new(403, "API_KEY_EXPIRED", "API key has expired"));
            case not Statuses.Active:
                return (null, new(401, "API_KEY_DISABLED", "API key is disabled"));
        }
        if (key.ExpiresAt is { } expires && expires <= now)
        {
            return (null, new(403, "API_KEY_EXPIRED", "API key has expired"));
        }
        if (key.Quota > 0 && key.QuotaUsed >= key.Quota)
        {
            return (null, new(429, "API_KEY_QUOTA_EXHAUSTED", "API key quota exhausted"));
        }
        if (IpDenied(key, context.Connection.RemoteIpAddress))
        {
            return (null, new(403, "ACCESS_DENIED", "Access denied from this IP address"));
        }
        if (caller.User.Status != Statuses.Active)
        {
            return (null, new(401, "USER_INACTIVE", "User account is not active"));
        }
        if (runMode.IsSimple)
        {
            return (caller, null);
        }
        return (caller, await CheckBillingAsync(caller, now, cancellationToken));
    }

    /// <summary>Subscription or balance eligibility; also re-checked after waiting for a slot (SPEC §4.1 step 6).</summary>
    public async Task<GatewayAuthError?> CheckBillingAsync(Caller caller, DateTime now, CancellationToken cancellationToken)
    {
        if (runMode.IsSimple)
        {
            return null;
        }
        if (caller.Group?.SubscriptionType == SubscriptionTypes.Subscription)
        {
            if (caller.Subscription is not { } subscription)
            {
                return new(403, "SUBSCRIPTION_NOT_FOUND", "No active subscription for this group");
            }
            if (subscription.Status != Statuses.Active || subscription.ExpiresAt <= now)
            {
                return new(403, "SUBSCRIPTION_INVALID", "Subscription is expired or suspended");
            }
            // Live usage (committed + recorded-but-uncommitted charges) of the windows current now. A request is admitted
            // while every capped window is below its cap; its cost is known only when it ends, so requests in flight when
            // the cap is crossed can overdraw it by at most their own cost (the user's concurrency bounds how many).
            var usage = await subscriptions.UsageAsync(subscription.Id, caller.User.Id, now, cancellationToken);
            if (Subscriptions.SubscriptionCaps.Reached(caller.Group, usage))
            {
                return new(429, "USAGE_LIMIT_EXCEEDED", "Subscription usage limit exceeded");
            }
            return null;
        }
        return await balances.AvailableAsync(caller.User.Id, cancellationToken) > 0
            ? null
            : new(403, "INSUFFICIENT_BALANCE", "Insufficient account balance");
    }

    private static bool IpDenied(CallerKey key, IPAddress? ip)
    {
        if (key.IpWhitelist.Count == 0 && key.IpBlacklist.Count == 0)
        {
            return false;
        }
        if (ip is null)
        {
            return key.IpWhitelist.Count > 0;
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        return key.IpBlacklist.Any(n => n.Contains(ip)) || (key.IpWhitelist.Count > 0 && !key.IpWhitelist.Any(n => n.Contains(ip)));
    }

    private async ValueTask<Caller?> LookupAsync(string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = generation.Callers;
        if (_cache.TryGetValue(hash, out var entry) && entry.Generation == current && entry.ExpiresAt > now)
        {
            return entry.Caller;
        }
        var caller = await LoadAsync(hash, cancellationToken);
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
        _cache[hash] = new CacheEntry(caller, current, now + (caller is null ? NegativeTtl : PositiveTtl));
        return caller;
    }

    private async Task<Caller?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, cancellationToken);
        if (key is null)
        {
            return null;
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == key.UserId, cancellationToken);
        if (user is null)
        {
            return null; // a deleted user's keys are gone with it
        }
        var group = key.GroupId is { } groupId ? await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken) : null;
        decimal? userRate = null;
        CallerSubscription? subscription = null;
        if (group is not null)
        {
            userRate = await db.UserGroupRateMultipliers.AsNoTracking()
                .Where(r => r.UserId == user.Id && r.GroupId == group.Id).Select(r => (decimal?)r.Rate).FirstOrDefaultAsync(cancellationToken);
            subscription = await db.UserSubscriptions.AsNoTracking()
                .Where(s => s.UserId == user.Id && s.GroupId == group.Id && s.Status == Statuses.Active)
                .OrderByDescending(s => s.ExpiresAt)
                .Select(s => new CallerSubscription(s.Id, s.Status, s.ExpiresAt))
                .FirstOrDefaultAsync(cancellationToken);
        }
        return new Caller(
            new CallerKey(key.Id, key.UserId, key.Name, group?.Id, key.Status, key.ExpiresAt, key.Quota, key.QuotaUsed,
                Networks(key.IpWhitelist), Networks(key.IpBlacklist)),
            new CallerUser(user.Id, user.Status, user.Concurrency, userRate),
            group is null ? null : new CallerGroup(group.Id, group.Name, group.Platform, group.RateMultiplier, group.SubscriptionType,
                group.Status, group.ClaudeCodeOnly, group.DailyLimitUsd, group.WeeklyLimitUsd, group.MonthlyLimitUsd),
            subscription);
    }

    private static List<IPNetwork> Networks(IEnumerable<string> entries) =>
        entries.Select(e => IPNetwork.TryParse(e, out var network) ? network
                : IPAddress.TryParse(e, out var ip) ? new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                : (IPNetwork?)null)
            .Where(n => n is not null).Select(n => n!.Value).ToList();

    private sealed record CacheEntry(Caller? Caller, long Generation, DateTimeOffset ExpiresAt);
}

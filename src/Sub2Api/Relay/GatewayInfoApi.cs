using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Billing;
using Sub2Api.Common;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;
using Sub2Api.Usage;

namespace Sub2Api.Relay;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/usage</c> for API-key callers.</summary>
internal static class GatewayInfoApi
{
    /// <summary>
    /// The models a key may ask for: the model-mapping keys of its group's schedulable accounts, else the provider's
    /// defaults, in the provider's answer shape.
    /// </summary>
    public static async Task ModelsAsync(HttpContext context, ApiKeyAuthenticator authenticator, AccountPool pool, AccountHealth health,
        ProviderRegistry providers, RunMode runMode, TimeProvider time)
    {
        var (caller, error) = await authenticator.AuthenticateAsync(context, context.RequestAborted);
        var platform = caller?.Group?.Platform ?? Platforms.Default;
        var provider = providers.For(platform) ?? providers.For(Platforms.Default)!;
        if (caller is null)
        {
            await new ClientChannel(context, RelayRequest.NewId(), provider.Dialect).WriteAuthErrorAsync(error!);
            return;
        }
        var snapshot = await pool.GetAsync(context.RequestAborted);
        var now = time.GetUtcNow().UtcDateTime;
        var selection = new SelectionRequest(caller.Group?.Id, platform, "", "", new HashSet<long>(), "", IgnoreGroups: runMode.IsSimple);
        var mapped = snapshot.All.Where(a => AccountScheduler.IsCandidate(a, selection) && health.IsAvailable(a, now))
            .SelectMany(a => a.ModelMapping.Keys).Where(k => !k.EndsWith('*')).Distinct().Order(StringComparer.Ordinal).ToList();
        await provider.WriteModelsAsync(context, mapped);
    }

    /// <summary>The CC-Switch-style balance/usage summary (SPEC §2.2 "/v1/usage shape").</summary>
    public static async Task UsageAsync(HttpContext context, ApiKeyAuthenticator authenticator, BalanceView balances,
        Subscriptions.SubscriptionUsageView subscriptions, IDbContextFactory<Sub2ApiDbContext> dbFactory, ProviderRegistry providers,
        TimeProvider time)
    {
        var ct = context.RequestAborted;
        var (caller, error) = await authenticator.AuthenticateAsync(context, ct);
        if (caller is null)
        {
            var provider = providers.For(Platforms.Default)!;
            await new ClientChannel(context, RelayRequest.NewId(), provider.Dialect).WriteAuthErrorAsync(error!);
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Aggregated in the database (UsageQueries.StatsAsync), never by loading the key's whole history.
        var rows = db.UsageLogs.AsNoTracking().Where(u => u.ApiKeyId == caller.Key.Id);
        var total = await rows.StatsAsync(ct);
        var lastMinute = await rows.Where(u => u.CreatedAt >= now.AddMinutes(-1)).StatsAsync(ct);
        var usage = new
        {
            today = Block(await rows.Where(u => u.CreatedAt >= now.Date).StatsAsync(ct)),
            total = Block(total),
            average_duration_ms = Math.Round(total.AverageDurationMs, 1),
            rpm = lastMinute.TotalRequests,
            tpm = lastMinute.TotalTokens,
        };
        if (caller.Group?.SubscriptionType == SubscriptionTypes.Subscription && caller.Subscription is { } sub)
        {
            var g = caller.Group;
            // The windows as they count now: a passed window reads 0, uncommitted charges are included.
            var live = await subscriptions.UsageAsync(sub.Id, caller.User.Id, now, ct);
            await context.Response.WriteAsJsonAsync(new
            {
                isValid = true,
                planName = g.Name,
                remaining = Subscriptions.SubscriptionCaps.Remaining(g, live),
                unit = "USD",
                subscription = new
                {
                    daily_usage_usd = live.Daily, weekly_usage_usd = live.Weekly, monthly_usage_usd = live.Monthly,
                    daily_limit_usd = g.DailyLimitUsd, weekly_limit_usd = g.WeeklyLimitUsd, monthly_limit_usd = g.MonthlyLimitUsd,
                    expires_at = sub.ExpiresAt,
                },
                usage,
            }, JsonDefaults.Verbatim, ct);
            return;
        }
        var balance = await balances.AvailableAsync(caller.User.Id, ct);
        await context.Response.WriteAsJsonAsync(new
        {
            isValid = true, planName = "钱包余额", remaining = balance, unit = "USD", balance, usage,
        }, JsonDefaults.Verbatim, ct);
    }

    private static object Block(UsageStats stats) => new
    {
        requests = stats.TotalRequests,
        input_tokens = stats.TotalInputTokens,
        output_tokens = stats.TotalOutputTokens,
        cache_creation_tokens = stats.TotalCacheCreationTokens,
        cache_read_tokens = stats.TotalCacheReadTokens,
        total_tokens = stats.TotalTokens,
        cost = stats.TotalCost,
        actual_cost = stats.TotalActualCost,
    };
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Ops.Alerts;

/// <summary>
/// Measures a rule's metric now, over its window and narrowed to its filters. Null means "nothing to measure"
/// (no request in the window, or an empty group): such a rule is not evaluated, so an idle gateway never fires a
/// rate alert and a firing one is neither confirmed nor resolved until traffic returns.
/// </summary>
internal sealed class AlertMetricSource(IDbContextFactory<Sub2ApiDbContext> dbFactory, IConcurrencySlots slots)
{
    public async Task<double?> MeasureAsync(string metricType, int windowMinutes, AlertFilters filters, DateTime now,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return metricType switch
        {
            AlertCatalog.SuccessRate or AlertCatalog.ErrorRate or AlertCatalog.UpstreamErrorRate =>
                await RateAsync(db, metricType, now.AddMinutes(-windowMinutes), filters, cancellationToken),
            AlertCatalog.AccountErrorCount =>
                await Accounts(db, filters).CountAsync(a => a.Status == Statuses.Error, cancellationToken),
            AlertCatalog.AccountRateLimitedCount =>
                await Accounts(db, filters).CountAsync(a => a.RateLimitResetAt != null && a.RateLimitResetAt > now, cancellationToken),
            AlertCatalog.GroupAvailableAccounts =>
                await Available(Accounts(db, filters), now).CountAsync(cancellationToken),
            AlertCatalog.GroupAvailableRatio => await RatioAsync(db, filters, now, cancellationToken),
            AlertCatalog.ConcurrencyQueueDepth => await QueueDepthAsync(db, filters, cancellationToken),
            _ => null,
        };
    }

    /// <summary>
    /// success_rate and error_rate are shares (0–100) of the requests the window finished: successes are billed
    /// requests (usage_logs), failures are request-kind error rows. Failures the client caused (owner "client": a
    /// bad key, an invalid body, no balance) are left out of both the count and the total, so a misbehaving client
    /// cannot page the operator about a healthy gateway. upstream_error_rate is failed upstream attempts (failed-over
    /// ones included) per counted request, so it can pass 100 when requests needed several accounts.
    /// </summary>
    private static async Task<double?> RateAsync(Sub2ApiDbContext db, string metricType, DateTime since, AlertFilters filters,
        CancellationToken cancellationToken)
    {
        var usage = db.UsageLogs.Where(u => u.CreatedAt >= since);
        if (filters.GroupId is { } groupId)
        {
            usage = usage.Where(u => u.GroupId == groupId);
        }
        if (filters.Platform is { } platform)
        {
            var platformAccounts = db.Accounts.IgnoreQueryFilters().Where(a => a.Platform == platform).Select(a => a.Id);
            usage = usage.Where(u => platformAccounts.Contains(u.AccountId));
        }
        var errors = db.OpsErrorLogs.Where(e => e.CreatedAt >= since);
        if (filters.GroupId is { } errorGroup)
        {
            errors = errors.Where(e => e.GroupId == errorGroup);
        }
        if (filters.Platform is { } errorPlatform)
        {
            errors = errors.Where(e => e.Platform == errorPlatform);
        }
        var successes = await usage.LongCountAsync(cancellationToken);
        var requestErrors = await errors.LongCountAsync(e => e.Kind == OpsErrorKinds.Request && e.Owner != OpsOwners.Client, cancellationToken);
        var total = successes + requestErrors;
        if (total == 0)
        {
            return null;
        }
        return metricType switch
        {
            AlertCatalog.SuccessRate => successes * 100.0 / total,
            AlertCatalog.ErrorRate => requestErrors * 100.0 / total,
            _ => await errors.LongCountAsync(e => e.Kind == OpsErrorKinds.Upstream, cancellationToken) * 100.0 / total,
        };
    }

    /// <summary>The accounts a rule looks at: its platform, its group (through the account-group links), or all.</summary>
    private static IQueryable<Account> Accounts(Sub2ApiDbContext db, AlertFilters filters)
    {
        var accounts = db.Accounts.AsNoTracking();
        if (filters.Platform is { } platform)
        {
            accounts = accounts.Where(a => a.Platform == platform);
        }
        if (filters.GroupId is { } groupId)
        {
            var members = db.AccountGroups.Where(l => l.GroupId == groupId).Select(l => l.AccountId);
            accounts = accounts.Where(a => members.Contains(a.Id));
        }
        return accounts;
    }

    /// <summary>The scheduler's test, in SQL: active, schedulable, not expired, and not resting from a 429, 529 or rule.</summary>
    private static IQueryable<Account> Available(IQueryable<Account> accounts, DateTime now) => accounts.Where(a =>
        a.Status == Statuses.Active && a.Schedulable
        && !(a.AutoPauseOnExpired && a.ExpiresAt != null && a.ExpiresAt <= now)
        && !(a.RateLimitResetAt != null && a.RateLimitResetAt > now)
        && !(a.OverloadUntil != null && a.OverloadUntil > now)
        && !(a.TempUnschedulableUntil != null && a.TempUnschedulableUntil > now));

    private static async Task<double?> RatioAsync(Sub2ApiDbContext db, AlertFilters filters, DateTime now, CancellationToken cancellationToken)
    {
        var accounts = Accounts(db, filters);
        var total = await accounts.CountAsync(cancellationToken);
        return total == 0 ? null : await Available(accounts, now).CountAsync(cancellationToken) * 100.0 / total;
    }

    /// <summary>Requests queued for a slot on the rule's accounts, as the concurrency store counts them right now.</summary>
    private async Task<double?> QueueDepthAsync(Sub2ApiDbContext db, AlertFilters filters, CancellationToken cancellationToken)
    {
        var accounts = await Accounts(db, filters).Select(a => new { a.Id, a.Concurrency }).ToListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return 0;
        }
        var loads = await slots.GetAccountLoadsAsync(accounts.Select(a => (a.Id, a.Concurrency)).ToList());
        return loads.Values.Sum(l => l.Waiting);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Infrastructure.Cluster;

/// <summary>What one sweep changed.</summary>
internal readonly record struct SweepResult(int ApiKeys, int Accounts, int Subscriptions);

/// <summary>
/// Once per cluster, every <c>Cluster:ExpirySweepIntervalSeconds</c> (1 min): API keys past <c>expires_at</c> →
/// status <c>expired</c>; accounts past it with <c>auto_pause_on_expired</c> → not schedulable; subscriptions
/// past it → <c>expired</c>. Each is one set-based UPDATE; the matching configuration scope is then bumped, so
/// every node's caches (via the cluster bus) see the change at once. Idempotent: a second run changes nothing.
/// </summary>
internal sealed partial class ExpirySweeper(ClusterLease lease, IDbContextFactory<Sub2ApiDbContext> dbFactory, ConfigGeneration generation,
    IOptions<ClusterOptions> options, TimeProvider time, ILogger<ExpirySweeper> logger) : LeasedJob(lease, time, logger)
{
    public const string JobName = "expiry-sweeper";

    public override string Name => JobName;

    public override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.05, options.Value.ExpirySweepIntervalSeconds));

    public override TimeSpan LeaseTtl => TimeSpan.FromSeconds(options.Value.JobLeaseSeconds) is var ttl && ttl > Interval ? ttl : Interval * 2;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await SweepAsync(cancellationToken);

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys
            .Where(k => k.Status == Statuses.Active && k.ExpiresAt != null && k.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.Status, Statuses.Expired).SetProperty(k => k.UpdatedAt, now), cancellationToken);
        var accounts = await db.Accounts
            .Where(a => a.AutoPauseOnExpired && a.Schedulable && a.ExpiresAt != null && a.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Schedulable, false).SetProperty(a => a.UpdatedAt, now), cancellationToken);
        var subscriptions = await db.UserSubscriptions
            .Where(x => x.Status == Statuses.Active && x.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, Statuses.Expired).SetProperty(x => x.UpdatedAt, now), cancellationToken);

        ConfigScope changed = 0;
        if (keys + subscriptions > 0)
        {
            changed |= ConfigScope.Callers;
        }
        if (accounts > 0)
        {
            changed |= ConfigScope.Accounts;
        }
        if (changed != 0)
        {
            generation.Bump(changed);
            Log.Swept(logger, keys, accounts, subscriptions);
        }
        return new SweepResult(keys, accounts, subscriptions);
    }

    private static partial class Log
    {
        [LoggerMessage(760, LogLevel.Information, "Expiry sweep: {Keys} API keys and {Subscriptions} subscriptions expired, {Accounts} accounts paused")]
        public static partial void Swept(ILogger logger, int keys, int accounts, int subscriptions);
    }
}

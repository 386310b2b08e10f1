using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Settings;

namespace Sub2Api.Ops.ErrorLog;

/// <summary>
/// Once per cluster, hourly: deletes ops error rows older than the <c>ops_error_log_retention_days</c> setting
/// (default 30). Deletes in chunks of the oldest rows so a backlog (say, after the retention was shortened) is
/// worked off without one huge statement; a run stops after a bounded time and the next run continues.
/// </summary>
internal sealed partial class OpsErrorRetention(ClusterLease lease, IDbContextFactory<Sub2ApiDbContext> dbFactory, SettingsStore settings,
    IOptions<OpsErrorLogOptions> options, IOptions<ClusterOptions> cluster, TimeProvider time, ILogger<OpsErrorRetention> logger)
    : LeasedJob(lease, time, logger)
{
    public const string JobName = "ops-error-retention";

    /// <summary>The most one run spends deleting; what is left waits for the next run.</summary>
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(2);

    public override string Name => JobName;

    public override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.05, options.Value.RetentionIntervalSeconds));

    public override TimeSpan LeaseTtl => TimeSpan.FromSeconds(cluster.Value.JobLeaseSeconds) is var ttl && ttl > Interval ? ttl : Interval * 2;

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await PurgeAsync(cancellationToken);

    /// <summary>Deletes rows past the retention; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var days = int.TryParse(await settings.GetAsync(SettingDefinitions.OpsErrorLogRetentionDays, cancellationToken),
            System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d >= 1 ? d : 30;
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-days);
        var chunk = Math.Max(1, options.Value.RetentionChunkSize);
        var started = Time.GetTimestamp();
        var total = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // The oldest ids first: ids grow with time, so "id ≤ the chunk's last id" is an index range, and the
            // time check on the same statement keeps a row written late with an old id safe.
            var last = await db.OpsErrorLogs.Where(e => e.CreatedAt < cutoff).OrderBy(e => e.Id).Select(e => (long?)e.Id)
                .Skip(chunk - 1).FirstOrDefaultAsync(cancellationToken);
            var deleted = last is { } upTo
                ? await db.OpsErrorLogs.Where(e => e.Id <= upTo && e.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken)
                : await db.OpsErrorLogs.Where(e => e.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (last is null || deleted == 0 || Time.GetElapsedTime(started) > MaxRunTime)
            {
                break;
            }
        }
        if (total > 0)
        {
            Log.Purged(logger, total, days);
        }
        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(1461, LogLevel.Information, "Ops error log: deleted {Count} rows older than {Days} days")]
        public static partial void Purged(ILogger logger, int count, int days);
    }
}

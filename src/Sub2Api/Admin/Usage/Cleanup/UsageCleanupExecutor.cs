using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Data;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Usage.Cleanup;

/// <summary>
/// Runs usage cleanup tasks, once per cluster (under a lease). Each tick takes tasks oldest first — a task left
/// <c>running</c> was interrupted (its node stopped) and is resumed — and deletes its matching usage_logs rows
/// <see cref="UsageCleanupOptions.ChunkSize"/> at a time. Each chunk is deleted in one transaction with its
/// progress update, which only applies while the task is still running: a cancel between chunks rolls the next
/// chunk back, so <c>deleted_rows</c> always equals the rows actually gone. A tick works for at most a third of the
/// lease's lifetime and the next tick resumes the task: the lease is renewed each tick, so a long cleanup never
/// outlives it and no second node starts on the same task. Only usage history is deleted;
/// balances, quotas and subscriptions were charged when the requests ran and do not change.
/// </summary>
internal sealed partial class UsageCleanupExecutor(ClusterLease lease, IDbContextFactory<Sub2ApiDbContext> dbFactory,
    IOptions<UsageCleanupOptions> options, TimeProvider time, ILogger<UsageCleanupExecutor> logger) : LeasedJob(lease, time, logger)
{
    public const string JobName = "usage-cleanup";
    private const int MaxErrorLength = 500;

    public override string Name => JobName;

    public override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.05, options.Value.IntervalSeconds));

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + LeaseTtl / 3;
        while (!cancellationToken.IsCancellationRequested && await NextTaskAsync(cancellationToken) is { } taskId)
        {
            if (!await RunTaskAsync(taskId, deadline, cancellationToken))
            {
                return; // out of time for this tick: the task stays running and the next tick resumes it
            }
        }
    }

    private async Task<long?> NextTaskAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = await db.UsageCleanupTasks.Where(t => t.Status == UsageCleanupStatuses.Running)
            .OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
        if (running is not null)
        {
            return running;
        }
        while (await db.UsageCleanupTasks.Where(t => t.Status == UsageCleanupStatuses.Pending)
                   .OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) is { } pending)
        {
            var now = Time.GetUtcNow().UtcDateTime;
            // Claimed only if still pending: a cancel that lands first wins.
            var claimed = await db.UsageCleanupTasks.Where(t => t.Id == pending && t.Status == UsageCleanupStatuses.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, UsageCleanupStatuses.Running)
                    .SetProperty(t => t.StartedAt, now).SetProperty(t => t.UpdatedAt, now), ct);
            if (claimed == 1)
            {
                return pending;
            }
        }
        return null;
    }

    /// <summary>Runs a task until it ends (true) or the tick's time is up (false).</summary>
    private async Task<bool> RunTaskAsync(long taskId, DateTimeOffset deadline, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var json = await db.UsageCleanupTasks.Where(t => t.Id == taskId).Select(t => t.Filters).FirstAsync(ct);
            var filters = UsageCleanupFilters.FromJson(json) ?? throw new InvalidOperationException("the task's filters are unreadable");
            var matching = filters.ToUsageFilter();
            var chunk = Math.Max(1, options.Value.ChunkSize);
            var pause = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.ChunkPauseMilliseconds));
            var total = 0L;
            while (true)
            {
                var (deleted, stillRunning) = await DeleteChunkAsync(db, taskId, matching, chunk, ct);
                if (!stillRunning)
                {
                    Log.Canceled(logger, taskId, total);
                    return true;
                }
                total += deleted;
                if (deleted < chunk)
                {
                    break;
                }
                if (Time.GetUtcNow() >= deadline)
                {
                    return false;
                }
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, Time, ct);
                }
            }
            var now = Time.GetUtcNow().UtcDateTime;
            await db.UsageCleanupTasks.Where(t => t.Id == taskId && t.Status == UsageCleanupStatuses.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, UsageCleanupStatuses.Succeeded)
                    .SetProperty(t => t.FinishedAt, now).SetProperty(t => t.UpdatedAt, now), ct);
            Log.Succeeded(logger, taskId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Stopping the host leaves the task running, to be resumed; any other failure ends it.
            await FailAsync(taskId, e, ct);
        }
        return true;
    }

    /// <summary>Deletes one chunk and counts it, atomically, unless the task is no longer running.</summary>
    private async Task<(int Deleted, bool StillRunning)> DeleteChunkAsync(Sub2ApiDbContext db, long taskId, UsageFilter matching,
        int chunk, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = db.UsageLogs.Filter(matching).OrderBy(u => u.Id).Take(chunk).Select(u => u.Id);
        var deleted = await db.UsageLogs.Where(u => ids.Contains(u.Id)).ExecuteDeleteAsync(ct);
        var now = Time.GetUtcNow().UtcDateTime;
        var updated = await db.UsageCleanupTasks.Where(t => t.Id == taskId && t.Status == UsageCleanupStatuses.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.DeletedRows, t => t.DeletedRows + deleted)
                .SetProperty(t => t.UpdatedAt, now), ct);
        if (updated == 0)
        {
            await transaction.RollbackAsync(ct);
            return (0, false);
        }
        await transaction.CommitAsync(ct);
        return (deleted, true);
    }

    private async Task FailAsync(long taskId, Exception error, CancellationToken ct)
    {
        Log.Failed(logger, taskId, error.GetType().Name, error.Message);
        var message = error.Message.Length > MaxErrorLength ? error.Message[..MaxErrorLength] : error.Message;
        var now = Time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.UsageCleanupTasks.Where(t => t.Id == taskId && t.Status == UsageCleanupStatuses.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, UsageCleanupStatuses.Failed)
                .SetProperty(t => t.ErrorMessage, message)
                .SetProperty(t => t.FinishedAt, now).SetProperty(t => t.UpdatedAt, now), ct);
    }

    private static partial class Log
    {
        [LoggerMessage(770, LogLevel.Information, "Usage cleanup task {TaskId} succeeded")]
        public static partial void Succeeded(ILogger logger, long taskId);

        [LoggerMessage(771, LogLevel.Information, "Usage cleanup task {TaskId} stopped after a cancel ({Rows} usage rows deleted in this run)")]
        public static partial void Canceled(ILogger logger, long taskId, long rows);

        [LoggerMessage(772, LogLevel.Warning, "Usage cleanup task {TaskId} failed ({Error}: {Message})")]
        public static partial void Failed(ILogger logger, long taskId, string error, string message);
    }
}

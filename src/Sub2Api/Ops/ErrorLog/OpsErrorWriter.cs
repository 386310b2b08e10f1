using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Observability;

namespace Sub2Api.Ops.ErrorLog;

/// <summary>
/// Drains <see cref="OpsErrorRecorder"/> into <c>ops_error_logs</c>: whatever is queued, up to <see cref="BatchSize"/>
/// rows per insert, each batch on a fresh DbContext. A batch the database refuses is dropped (counted, logged without
/// its rows — they may hold request bodies) and the writer goes on: the error log must never take the host down, and
/// a broken database must not turn into a growing backlog. On stop it writes what is still queued.
/// </summary>
internal sealed partial class OpsErrorWriter(OpsErrorRecorder recorder, IDbContextFactory<Sub2ApiDbContext> dbFactory, GatewayMetrics metrics,
    ILogger<OpsErrorWriter> logger) : BackgroundService
{
    public const int BatchSize = 200;

    private int _busy;
    private int _started;
    private long _written;
    private long _dropped;

    /// <summary>Pause after a failed batch, so a database that refuses everything is not hammered in a tight loop.</summary>
    internal TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows inserted since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Rows lost to failed batches since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never hold up the host's start
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            await DrainAsync(stoppingToken);
        }
    }

    /// <summary>Writes batches until the queue is completed and empty.</summary>
    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        var reader = recorder.Reader;
        var batch = new List<OpsErrorLog>(BatchSize);
        // Not cancelled by the stopping token: StopAsync completes the queue, and this loop ends once it is empty.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            Volatile.Write(ref _busy, 1);
            try
            {
                while (reader.TryRead(out var row))
                {
                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        await WriteAsync(batch, stoppingToken);
                    }
                }
                if (batch.Count > 0)
                {
                    await WriteAsync(batch, stoppingToken);
                }
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }
    }

    private async Task WriteAsync(List<OpsErrorLog> batch, CancellationToken stoppingToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            db.OpsErrorLogs.AddRange(batch);
            await db.SaveChangesAsync(CancellationToken.None);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception e)
        {
            // Only the exception's type: a database error message can quote the values it refused.
            Interlocked.Add(ref _dropped, batch.Count);
            metrics.OpsErrorDropped(batch.Count);
            Log.BatchFailed(logger, batch.Count, e.GetType().Name, e.InnerException?.GetType().Name ?? "-");
            await BackOffAsync(stoppingToken);
        }
        finally
        {
            batch.Clear();
        }
    }

    private async Task BackOffAsync(CancellationToken stoppingToken)
    {
        if (FailureBackoff <= TimeSpan.Zero || stoppingToken.IsCancellationRequested)
        {
            return;
        }
        try
        {
            await Task.Delay(FailureBackoff, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: go straight on to writing what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        recorder.Complete();
        await base.StopAsync(cancellationToken);
        // A stop right after the start can cancel ExecuteAsync before it ever ran: then what was queued is written here.
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            await DrainAsync(cancellationToken);
        }
    }

    /// <summary>Waits until every row queued so far has been written or dropped (tests, diagnostics).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (recorder.Reader.Count > 0 || Volatile.Read(ref _busy) != 0)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1460, LogLevel.Error, "Ops error log: a batch of {Count} rows could not be written ({Error}, inner {Inner}); the rows are dropped")]
        public static partial void BatchFailed(ILogger logger, int count, string error, string inner);
    }
}

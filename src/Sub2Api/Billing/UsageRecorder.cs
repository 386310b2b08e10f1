using System.Threading.Channels;

namespace Sub2Api.Billing;

/// <summary>
/// Step 7 of the relay: hands a finished request's usage to the background writer. The record is journaled
/// first (see <see cref="UsageJournal"/>), the user's balance view is charged at once, and the database write
/// happens off the hot path in batches. The queue is bounded: when the database falls far behind, callers wait
/// here rather than the process growing without limit.
/// </summary>
internal sealed partial class UsageRecorder(UsageJournal journal, BalanceView balances, Subscriptions.SubscriptionUsageView subscriptions,
    TimeProvider time, ILogger<UsageRecorder> logger)
{
    private long _lastJournalWarning = long.MinValue;
    /// <summary>Ticks of the oldest record in the batch the writer is writing now; 0 when it writes none.</summary>
    private long _writingSinceTicks;

    public const int QueueCapacity = 10_000;

    private readonly Channel<UsageRecord> _queue = Channel.CreateBounded<UsageRecord>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    internal ChannelReader<UsageRecord> Reader => _queue.Reader;

    /// <summary>
    /// How far the database is behind: the age of the oldest record handed over here and not yet written (the batch
    /// being written, else the head of the queue); zero when the writer is caught up.
    /// </summary>
    public TimeSpan WriterLag(DateTime utcNow)
    {
        var oldest = Interlocked.Read(ref _writingSinceTicks);
        if (oldest == 0 && _queue.Reader.TryPeek(out var next))
        {
            oldest = next.CreatedAt.Ticks;
        }
        return oldest == 0 || oldest >= utcNow.Ticks ? TimeSpan.Zero : TimeSpan.FromTicks(utcNow.Ticks - oldest);
    }

    /// <summary>The writer took a batch (its oldest record's time) or finished one (null).</summary>
    internal void Writing(DateTime? oldest) => Interlocked.Exchange(ref _writingSinceTicks, oldest?.Ticks ?? 0);

    /// <summary>
    /// Never pass the request's token here: a client that disconnected must still be billed.
    /// </summary>
    public async ValueTask RecordAsync(UsageRecord record)
    {
        try
        {
            journal.Append(record);
        }
        catch (IOException e)
        {
            // The journal cannot take it (disk full, I/O error): still bill it through the database queue — only a
            // crash before the write would lose it — and say so, at most once a minute.
            var now = time.GetTimestamp();
            var last = Interlocked.Read(ref _lastJournalWarning);
            if (last == long.MinValue || time.GetElapsedTime(last, now) > TimeSpan.FromMinutes(1))
            {
                Interlocked.Exchange(ref _lastJournalWarning, now);
                Log.JournalFailed(logger, e.Message);
            }
        }
        Hold(record);
        if (!_queue.Writer.TryWrite(record))
        {
            try
            {
                await _queue.Writer.WriteAsync(record);
            }
            catch (ChannelClosedException)
            {
                // Shutting down: the record is in the journal and is written on the next start.
            }
        }
    }

    /// <summary>Queues journal records left by a previous run (already charged in no view; settled when written).</summary>
    internal async ValueTask ReplayAsync(IEnumerable<UsageRecord> records)
    {
        foreach (var replayed in records)
        {
            var record = replayed with { Replayed = true };
            Hold(record);
            await _queue.Writer.WriteAsync(record);
        }
    }

    /// <summary>The charge counts at once in the view the relay admits against: the subscription's windows, else the balance.</summary>
    private void Hold(UsageRecord record)
    {
        if (!record.Charge)
        {
            return;
        }
        if (record.ChargesSubscription(out var subscriptionId))
        {
            subscriptions.Hold(subscriptionId, record.UserId, record.Cost.ActualCost);
        }
        else
        {
            balances.Hold(record.UserId, record.Cost.ActualCost);
        }
    }

    internal void Complete() => _queue.Writer.TryComplete();

    /// <summary>Waits until every record handed over so far is in the database (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (journal.Outstanding > 0)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(402, LogLevel.Error, "Usage journal write failed ({Message}); usage still goes to the database but is not crash-safe until the journal works again")]
        public static partial void JournalFailed(ILogger logger, string message);
    }
}

using System.Threading.Channels;

namespace Sub2Api.Billing;

/// <summary>
/// Step 7 of the relay: hands a finished request's usage to the background writer. The record is journaled
/// first (see <see cref="UsageJournal"/>), the user's balance view is charged at once, and the database write
/// happens off the hot path in batches. The queue is bounded: when the database falls far behind, callers wait
/// here rather than the process growing without limit.
/// </summary>
internal sealed class UsageRecorder(UsageJournal journal, BalanceView balances)
{
    public const int QueueCapacity = 10_000;

    private readonly Channel<UsageRecord> _queue = Channel.CreateBounded<UsageRecord>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    internal ChannelReader<UsageRecord> Reader => _queue.Reader;

    /// <summary>
    /// Never pass the request's token here: a client that disconnected must still be billed.
    /// </summary>
    public async ValueTask RecordAsync(UsageRecord record)
    {
        journal.Append(record);
        if (record.Charge)
        {
            balances.Hold(record.UserId, record.Cost.ActualCost);
        }
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
            if (record.Charge)
            {
                balances.Hold(record.UserId, record.Cost.ActualCost);
            }
            await _queue.Writer.WriteAsync(record);
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
}

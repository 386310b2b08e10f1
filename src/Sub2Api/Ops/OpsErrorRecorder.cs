using System.Threading.Channels;
using Sub2Api.Data.Entities;
using Sub2Api.Observability;

namespace Sub2Api.Ops;

/// <summary>
/// The relay's side of the ops error log: <see cref="Report"/> queues a row and returns at once; a background writer
/// (<c>OpsErrorWriter</c>) inserts them in batches. The queue is bounded: when the database falls behind (or
/// a storm of failures arrives) rows are dropped and counted (<c>sub2api.ops.errors.dropped</c>), never waited for —
/// the error log must not slow down or break the requests it describes.
/// </summary>
internal sealed class OpsErrorRecorder(GatewayMetrics metrics)
{
    public const int QueueCapacity = 10_000;

    private readonly Channel<OpsErrorLog> _queue = Channel.CreateBounded<OpsErrorLog>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    internal ChannelReader<OpsErrorLog> Reader => _queue.Reader;

    public void Report(OpsErrorLog row)
    {
        if (!_queue.Writer.TryWrite(row))
        {
            metrics.OpsErrorDropped();
        }
    }

    internal void Complete() => _queue.Writer.TryComplete();
}

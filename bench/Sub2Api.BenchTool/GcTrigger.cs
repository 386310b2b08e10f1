using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Sub2Api.BenchTool;

/// <summary>
/// Asks another .NET process for a full, blocking garbage collection — the way dotnet-gcdump does it: an
/// EventPipe session on the runtime provider with the GCHeapCollect keyword — and reads the live heap size the
/// runtime reports for that collection. RSS alone is a poor per-stream measure: before a collection it holds
/// garbage the GC has not reclaimed yet, after one it keeps memory the GC has freed but not returned, so the
/// delta swings by tens of kilobytes per stream between runs (even below zero) with the GC's timing.
/// </summary>
internal static class GcTrigger
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>Live managed heap bytes after a full collection, or null when the process cannot be asked.</summary>
    public static async Task<long?> CollectAsync(int pid)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            using var session = client.StartEventPipeSession(
                new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword),
                requestRundown: false, circularBufferMB: 16);
            long? liveBytes = null;
            var parsing = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Clr.GCHeapStats += stats =>
                {
                    // What survived a full collection in every generation and in the large and pinned object heaps:
                    // the live objects. (The generation sizes would add free space left between them, which depends
                    // on whether the GC chose to compact.)
                    liveBytes = stats.TotalPromotedSize0 + stats.TotalPromotedSize1 + stats.TotalPromotedSize2
                        + stats.TotalPromotedSize3 + stats.TotalPromotedSize4;
                };
                source.Process();
            });
            // The collection runs as the session starts; wait for its heap statistics (or give up).
            for (var waited = 0; liveBytes is null && waited < 10_000; waited += 100)
            {
                await Task.Delay(100);
            }
            await session.StopAsync(CancellationToken.None);
            await parsing;
            return liveBytes;
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
        {
            Console.Error.WriteLine($"idle: could not ask process {pid} for a GC ({e.GetType().Name}); measuring RSS only");
            return null;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Sub2Api.BenchTool;

/// <summary>
/// Long-lived streams: a Kestrel fake upstream that answers message_start and then stays silent, N streaming
/// requests through the gateway held open at once, and the gateway's resident memory before and while they
/// are open. At the end the fake finishes every stream (the rest of the recorded SSE body, message_stop
/// included) so that each request completes normally and is billed like any other.
/// </summary>
internal static class IdleCommand
{
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] MessageStop = "message_stop"u8.ToArray();

    public static async Task<int> RunAsync(CommandLine options)
    {
        var url = new Uri(options.Required("url"));
        var key = options.Required("key");
        var streams = options.Int("streams", 2000);
        var fakePort = options.Int("fake-port");
        var pid = options.Int("pid");
        var openConcurrency = Math.Max(1, options.Int("open-concurrency", 64));
        var settleMs = options.Int("settle-ms", 2000);
        var warmupStreams = options.Int("warmup", 50);
        var openTimeout = TimeSpan.FromSeconds(options.Int("open-timeout-s", 60));
        var stallTimeout = TimeSpan.FromSeconds(options.Int("stall-s", 10));
        var body = options.Body(stream: true);
        var (start, rest) = SplitSse(options.Optional("sse-file"));
        if (!File.Exists($"/proc/{pid}/status"))
        {
            throw new UsageException($"no process {pid} (--pid must be the gateway's process id)");
        }

        var fake = new FakeUpstream(start, rest);
        await using var app = await fake.StartAsync(fakePort);
        Console.Error.WriteLine($"idle: fake upstream on 127.0.0.1:{fakePort}; opening {streams} streams through {url}");

        using var client = Http.CreateClient();
        using var gate = new SemaphoreSlim(openConcurrency);
        using var abort = new CancellationTokenSource();

        // Warm-up: a few streams opened and finished first, so that the gateway's code paths, its connection
        // pool to this upstream and its buffers exist before "before" is read.
        var warmup = new Counters();
        if (warmupStreams > 0)
        {
            var warmupTasks = Enumerable.Range(0, warmupStreams)
                .Select(_ => Task.Run(() => OneStreamAsync(client, url, key, body, gate, warmup, abort.Token)))
                .ToArray();
            var warmupDeadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
            while (Volatile.Read(ref warmup.FirstEvent) + Volatile.Read(ref warmup.Failed) < warmupStreams
                && Stopwatch.GetTimestamp() < warmupDeadline)
            {
                await Task.Delay(50);
            }
            fake.ReleaseOpen();
            await Task.WhenAny(Task.WhenAll(warmupTasks), Task.Delay(TimeSpan.FromSeconds(30)));
            Console.Error.WriteLine($"idle: warm-up {warmup.Completed}/{warmupStreams} streams completed");
        }

        // The gateway's resident memory before: the median of a few readings over a second, after a full GC so
        // that both readings compare live memory (see GcTrigger).
        var heapBefore = await GcTrigger.CollectAsync(pid);
        var readings = new List<ProcStatus>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(250);
            readings.Add(ProcStatus.Read(pid));
        }
        var before = readings.OrderBy(r => r.RssKb).ElementAt(readings.Count / 2);

        var counters = new Counters();
        var wall = Stopwatch.GetTimestamp();

        var tasks = Enumerable.Range(0, streams)
            .Select(_ => Task.Run(() => OneStreamAsync(client, url, key, body, gate, counters, abort.Token)))
            .ToArray();

        // Wait until every stream has its first event (or has failed); give up at the deadline, or when no
        // stream has made progress for --stall-s (the gateway is queueing them somewhere).
        var deadline = Stopwatch.GetTimestamp() + (long)(openTimeout.TotalSeconds * Stopwatch.Frequency);
        var lastProgress = Stopwatch.GetTimestamp();
        var lastDone = 0;
        string? stopReason = null;
        while (true)
        {
            var done = Volatile.Read(ref counters.FirstEvent) + Volatile.Read(ref counters.Failed);
            if (done >= streams)
            {
                break;
            }
            if (done != lastDone)
            {
                (lastDone, lastProgress) = (done, Stopwatch.GetTimestamp());
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                stopReason = $"open deadline of {openTimeout.TotalSeconds:F0} s reached";
                break;
            }
            if (Stopwatch.GetElapsedTime(lastProgress) > stallTimeout)
            {
                stopReason = $"no stream opened for {stallTimeout.TotalSeconds:F0} s";
                break;
            }
            await Task.Delay(50);
        }
        Volatile.Write(ref counters.Measuring, true);
        var openSeconds = Stats.ElapsedMs(wall) / 1000;
        var opened = Volatile.Read(ref counters.FirstEvent);
        var notOpened = streams - opened - Volatile.Read(ref counters.Failed);
        Console.Error.WriteLine($"idle: {opened} streams open, {counters.Failed} failed after {openSeconds:F1} s" +
            (stopReason is null ? "" : $" ({stopReason}; {notOpened} still waiting for their first event)"));

        // Let allocations settle while everything is held open, collect, then read the gateway's memory.
        var heapOpen = heapBefore is null ? null : await GcTrigger.CollectAsync(pid);
        var samples = new List<ProcStatus>();
        for (var waited = 0; waited < settleMs; waited += 250)
        {
            await Task.Delay(250);
            samples.Add(ProcStatus.Read(pid));
        }
        var open = samples.Count > 0 ? samples[^1] : ProcStatus.Read(pid);
        var peakOpen = samples.Count > 0 ? samples.Max(s => s.RssKb) : open.RssKb;

        // Finish every stream upstream; the clients read them to the end.
        fake.Release();
        var finishDeadline = Task.Delay(TimeSpan.FromSeconds(60));
        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, finishDeadline) != all)
        {
            await abort.CancelAsync();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5)));
        }
        var totalSeconds = Stats.ElapsedMs(wall) / 1000;
        var after = ProcStatus.Read(pid);
        var perStreamKb = opened > 0 ? (double)(open.RssKb - before.RssKb) / streams : double.NaN;
        // An error is a stream that failed, was not open when memory was measured, or did not complete.
        var completed = Volatile.Read(ref counters.Completed);
        var errors = streams - Volatile.Read(ref counters.Good);

        Console.Error.WriteLine(
            $"idle: rss before {before.RssKb} kB, open {open.RssKb} kB => {perStreamKb:F1} kB/stream; " +
            (heapBefore is { } b && heapOpen is { } o ? $"live heap {b / 1024} -> {o / 1024} kB => {(o - b) / 1024.0 / streams:F1} kB/stream; " : "") +
            $"completed {completed}/{streams}, errors {errors}");
        Stats.PrintJson(new
        {
            command = "idle",
            url = url.ToString(),
            streams,
            opened,
            all_open = opened == streams,
            not_open_when_measured = notOpened,
            open_stopped_because = stopReason,
            failed_to_open = Volatile.Read(ref counters.Failed),
            completed,
            errors,
            first_error = counters.FirstError,
            warmup_streams = warmupStreams,
            warmup_completed = Volatile.Read(ref warmup.Completed),
            upstream_opened = fake.Opened,
            upstream_aborted = fake.Aborted,
            open_seconds = Stats.Round(openSeconds),
            total_seconds = Stats.Round(totalSeconds),
            live_heap_before_kb = heapBefore / 1024,
            live_heap_open_kb = heapOpen / 1024,
            live_heap_per_open_stream_kb = heapBefore is { } hb && heapOpen is { } ho && opened > 0 ? Stats.Round((ho - hb) / 1024.0 / opened, 2) : (double?)null,
            rss_before_kb = before.RssKb,
            rss_open_kb = open.RssKb,
            rss_open_peak_kb = peakOpen,
            rss_after_kb = after.RssKb,
            threads_before = before.Threads,
            threads_open = open.Threads,
            memory_per_stream_kb = Stats.Round(perStreamKb, 2),
            memory_per_open_stream_kb = Stats.Round(opened > 0 ? (double)(open.RssKb - before.RssKb) / opened : double.NaN, 2),
        });
        return 0;
    }

    private static async Task OneStreamAsync(
        HttpClient client, Uri url, string key, byte[] body, SemaphoreSlim gate, Counters counters, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        var holdingGate = true;
        try
        {
            using var request = Http.Post(url, key, body);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                counters.Fail($"HTTP {(int)response.StatusCode}");
                return;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var received = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                received.Write(buffer, 0, read);
                if (received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf(EventEnd) >= 0)
                {
                    break;
                }
            }
            if (read == 0)
            {
                counters.Fail("stream ended before its first event");
                return;
            }
            Interlocked.Increment(ref counters.FirstEvent);
            var openInTime = !Volatile.Read(ref counters.Measuring);
            gate.Release();
            holdingGate = false;

            // Held open here until the fake upstream is released.
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                received.Write(buffer, 0, read);
            }
            if (received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf(MessageStop) >= 0)
            {
                Interlocked.Increment(ref counters.Completed);
                if (openInTime)
                {
                    Interlocked.Increment(ref counters.Good);
                }
            }
            else
            {
                Interlocked.CompareExchange(ref counters.FirstError, "stream ended without message_stop", null);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            if (holdingGate)
            {
                counters.Fail(e.Message);
            }
            else
            {
                Interlocked.CompareExchange(ref counters.FirstError, e.Message, null);
            }
        }
        finally
        {
            if (holdingGate)
            {
                gate.Release();
            }
        }
    }

    /// <summary>The recorded SSE body split after its first event (message_start) and the rest.</summary>
    private static (byte[] Head, byte[] Tail) SplitSse(string? path)
    {
        var text = path is null ? DefaultSse : File.ReadAllText(path);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (end < 0 || !text.StartsWith("event: message_start", StringComparison.Ordinal))
        {
            throw new UsageException("the SSE file must start with a message_start event followed by a blank line");
        }
        return (Encoding.UTF8.GetBytes(text[..(end + 2)]), Encoding.UTF8.GetBytes(text[(end + 2)..]));
    }

    private const string DefaultSse = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_bench_idle","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":1}}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private sealed class Counters
    {
        public int FirstEvent;
        public int Failed;
        public int Completed;
        public int Good;
        public bool Measuring;
        public string? FirstError;

        public void Fail(string error)
        {
            Interlocked.Increment(ref Failed);
            Interlocked.CompareExchange(ref FirstError, error, null);
        }
    }

    private readonly record struct ProcStatus(long RssKb, int Threads)
    {
        public static ProcStatus Read(int pid)
        {
            long rss = -1;
            var threads = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }
            return new ProcStatus(rss, threads);
        }
    }
}

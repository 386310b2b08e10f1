using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sub2Api.BenchTool;

/// <summary>
/// Exactly N non-streaming requests, C at a time, each read to the end. The bench compares the gateway's
/// usage rows for this key with <c>ok</c>: every answered request must be billed once, and only once.
/// </summary>
internal static class ExactCommand
{
    public static async Task<int> RunAsync(CommandLine options)
    {
        var url = new Uri(options.Required("url"));
        var key = options.Optional("key");
        var count = options.Int("count");
        var concurrency = Math.Max(1, options.Int("concurrency", 16));
        var body = options.Body(stream: false);

        using var client = Http.CreateClient();
        var next = -1;
        var ok = 0;
        var failed = 0;
        var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        string? firstError = null;
        var wall = Stopwatch.GetTimestamp();

        async Task Worker()
        {
            var buffer = new byte[16 * 1024];
            while (Interlocked.Increment(ref next) < count)
            {
                var start = Stopwatch.GetTimestamp();
                string status;
                try
                {
                    using var request = Http.Post(url, key, body);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await using var stream = await response.Content.ReadAsStreamAsync();
                    while (await stream.ReadAsync(buffer) > 0)
                    {
                    }
                    status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref ok);
                        latencies.Add(Stats.ElapsedMs(start));
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, $"HTTP {status}", null);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    status = "transport_error";
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        var seconds = Stats.ElapsedMs(wall) / 1000;
        var sample = latencies.ToArray();
        Console.Error.WriteLine($"exact: {count} sent, {ok} ok, {failed} failed in {seconds:F1} s ({count / seconds:F0} req/s)");
        Stats.PrintJson(new
        {
            command = "exact",
            url = url.ToString(),
            count,
            concurrency,
            ok,
            failed,
            first_error = firstError,
            statuses = statuses.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
            elapsed_s = Stats.Round(seconds),
            requests_per_s = Stats.Round(count / seconds, 1),
            latency_p50_ms = Stats.Round(Stats.Percentile(sample, 0.5)),
            latency_p99_ms = Stats.Round(Stats.Percentile(sample, 0.99)),
        });
        return 0;
    }
}

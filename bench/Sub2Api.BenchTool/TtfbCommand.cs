using System.Diagnostics;

namespace Sub2Api.BenchTool;

/// <summary>
/// Sequential streaming requests over one kept-alive connection. For each: the time from starting the send
/// to the response headers, to the first byte of the body (the first SSE bytes; what a user waits for), and
/// to the end of the stream. A response that is not 2xx or does not contain message_stop is an error.
/// </summary>
internal static class TtfbCommand
{
    private static readonly byte[] MessageStop = "message_stop"u8.ToArray();

    public static async Task<int> RunAsync(CommandLine options)
    {
        var url = new Uri(options.Required("url"));
        var key = options.Optional("key");
        var count = options.Int("count");
        var warmup = options.Int("warmup", Math.Min(200, Math.Max(10, count / 10)));
        var label = options.Optional("label") ?? url.ToString();
        var body = options.Body(stream: true);

        using var client = Http.CreateClient();
        var headers = new List<double>(count);
        var firstByte = new List<double>(count);
        var total = new List<double>(count);
        var errors = 0;
        var warmupOk = 0;
        string? firstError = null;
        var buffer = new byte[64 * 1024];
        var wall = Stopwatch.GetTimestamp();

        for (var i = 0; i < warmup + count; i++)
        {
            var measured = i >= warmup;
            try
            {
                using var request = Http.Post(url, key, body);
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var headersMs = Stats.ElapsedMs(start);
                await using var stream = await response.Content.ReadAsStreamAsync();
                var read = await stream.ReadAsync(buffer);
                var firstMs = Stats.ElapsedMs(start);
                var length = read;
                var sawStop = buffer.AsSpan(0, read).IndexOf(MessageStop) >= 0;
                while (read > 0)
                {
                    read = await stream.ReadAsync(buffer);
                    length += read;
                    sawStop |= read > 0 && buffer.AsSpan(0, read).IndexOf(MessageStop) >= 0;
                }
                var totalMs = Stats.ElapsedMs(start);
                if (!response.IsSuccessStatusCode || length == 0 || !sawStop)
                {
                    if (measured)
                    {
                        errors++;
                        firstError ??= $"HTTP {(int)response.StatusCode}, {length} bytes, message_stop={sawStop}";
                    }
                    continue;
                }
                if (!measured)
                {
                    warmupOk++;
                }
                else
                {
                    headers.Add(headersMs);
                    firstByte.Add(firstMs);
                    total.Add(totalMs);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                if (measured)
                {
                    errors++;
                    firstError ??= e.Message;
                }
            }
        }

        var seconds = Stats.ElapsedMs(wall) / 1000;
        Console.Error.WriteLine(
            $"ttfb {label}: n={firstByte.Count} errors={errors} first byte p50={Stats.Percentile(firstByte, 0.5):F3} ms " +
            $"p99={Stats.Percentile(firstByte, 0.99):F3} ms ({seconds:F1} s)");
        Stats.PrintJson(new
        {
            command = "ttfb",
            label,
            url = url.ToString(),
            count,
            warmup,
            warmup_ok = warmupOk,
            ok = firstByte.Count,
            errors,
            first_error = firstError,
            ttfb_p50_ms = Stats.Round(Stats.Percentile(firstByte, 0.5)),
            ttfb_p90_ms = Stats.Round(Stats.Percentile(firstByte, 0.9)),
            ttfb_p99_ms = Stats.Round(Stats.Percentile(firstByte, 0.99)),
            ttfb_mean_ms = Stats.Round(Stats.Mean(firstByte)),
            ttfb_max_ms = Stats.Round(firstByte.Count == 0 ? double.NaN : firstByte.Max()),
            headers_p50_ms = Stats.Round(Stats.Percentile(headers, 0.5)),
            headers_p99_ms = Stats.Round(Stats.Percentile(headers, 0.99)),
            total_p50_ms = Stats.Round(Stats.Percentile(total, 0.5)),
            total_p99_ms = Stats.Round(Stats.Percentile(total, 0.99)),
            elapsed_s = Stats.Round(seconds),
        });
        return 0;
    }
}

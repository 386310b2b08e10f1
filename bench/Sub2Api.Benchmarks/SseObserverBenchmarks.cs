using System.Text;
using BenchmarkDotNet.Attributes;
using Sub2Api.Billing;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.Benchmarks;

/// <summary>
/// Usage parsing in the SSE relay: AnthropicSseObserver.Observe over a recorded stream, line by line as the relay
/// feeds it (without the trailing newline).
/// </summary>
[MemoryDiagnoser]
public class SseObserverBenchmarks
{
    private byte[][] _lines = [];
    private byte[] _deltaLine = [];

    /// <summary>Text deltas in the stream (a short answer ≈ 20, a long one several hundred).</summary>
    [Params(20, 400)]
    public int Deltas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sse = RecordedStream(Deltas);
        _lines = sse.Split('\n').Select(Encoding.UTF8.GetBytes).ToArray();
        _deltaLine = Encoding.UTF8.GetBytes(
            """data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"the gateway relays the bytes"}}""");
        var usage = ObserveAll(new AnthropicSseObserver());
        if (usage.InputTokens != 25 || usage.OutputTokens != 12 + Deltas || usage.CacheReadTokens != 100)
        {
            throw new InvalidOperationException($"unexpected usage {usage}");
        }
    }

    [Benchmark(Baseline = true, Description = "Observe, whole stream")]
    public long WholeStream() => ObserveAll(new AnthropicSseObserver()).TotalTokens;

    [Benchmark(Description = "Observe, whole stream, model mapped back in message_start")]
    public long WholeStreamMapped() =>
        ObserveAll(new AnthropicSseObserver(mapModelFrom: "claude-sonnet-4-5-20250929", mapModelTo: "claude-sonnet-4-5")).TotalTokens;

    [Benchmark(OperationsPerInvoke = 100, Description = "Observe, one content_block_delta line (per chunk)")]
    public int OneDeltaLine()
    {
        var observer = new AnthropicSseObserver();
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += observer.Observe(_deltaLine).Length;
        }
        return total;
    }

    private TokenUsage ObserveAll(AnthropicSseObserver observer)
    {
        foreach (var line in _lines)
        {
            observer.Observe(line);
        }
        return observer.Usage;
    }

    /// <summary>An Anthropic stream as the API sends it: thinking, text deltas, usage at start and end.</summary>
    public static string RecordedStream(int deltas)
    {
        var sb = new StringBuilder();
        void Event(string name, string data) => sb.Append("event: ").Append(name).Append("\ndata: ").Append(data).Append("\n\n");
        Event("message_start", """{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}""");
        Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""");
        Event("ping", """{"type": "ping"}""");
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants a refactor of the usage writer."}}""");
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCkYIBxgCKkDk+/Zx9Qh1c2ln=="}}""");
        Event("content_block_stop", """{"type":"content_block_stop","index":0}""");
        Event("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""");
        for (var i = 0; i < deltas; i++)
        {
            Event("content_block_delta", $$$"""{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"chunk {{{i}}} of the answer, "}}""");
        }
        Event("content_block_stop", """{"type":"content_block_stop","index":1}""");
        Event("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":{{{12 + deltas}}}}}""");
        Event("message_stop", """{"type":"message_stop"}""");
        return sb.ToString();
    }
}

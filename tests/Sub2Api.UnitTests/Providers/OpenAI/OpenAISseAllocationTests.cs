using System.Diagnostics;
using System.Text;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

/// <summary>The hot path of a stream: a text delta must cost substring checks, not a JSON parse or an allocation.</summary>
public sealed class OpenAISseAllocationTests(ITestOutputHelper output)
{
    private static readonly byte[] ResponsesDelta = Encoding.UTF8.GetBytes(
        """data: {"type":"response.output_text.delta","sequence_number":12,"item_id":"msg_0123456789abcdef","output_index":1,"content_index":0,"delta":" the quick brown fox jumps over the lazy dog","logprobs":[],"obfuscation":"Xy12"}""");

    private static readonly byte[] ChatChunk = Encoding.UTF8.GetBytes(
        """data: {"id":"chatcmpl-0123456789","object":"chat.completion.chunk","created":1765000000,"model":"gpt-4.1","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":" the quick brown fox jumps over the lazy dog"},"logprobs":null,"finish_reason":null}],"usage":null}""");

    private const int Lines = 20_000;

    [Fact]
    public void ResponsesObserver_TextDeltas_AllocateNothing()
    {
        var observer = new ResponsesSseObserver();
        observer.Observe(ResponsesDelta); // warm-up (JIT)

        var stopwatch = new Stopwatch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        stopwatch.Start();
        for (var i = 0; i < Lines; i++)
        {
            observer.Observe(ResponsesDelta);
            observer.Observe("event: response.output_text.delta"u8);
            observer.Observe([]);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stopwatch.Stop();

        output.WriteLine($"Responses delta: {stopwatch.Elapsed.TotalNanoseconds / Lines:F0} ns per event, {allocated} bytes allocated for {Lines} events");
        Assert.Equal(0, allocated);
        Assert.False(observer.HasUsage);
    }

    [Fact]
    public void ChatObserver_ContentChunks_AllocateNothing()
    {
        var observer = new ChatSseObserver();
        observer.Observe(ChatChunk);

        var stopwatch = new Stopwatch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        stopwatch.Start();
        for (var i = 0; i < Lines; i++)
        {
            observer.Observe(ChatChunk);
            observer.Observe([]);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stopwatch.Stop();

        output.WriteLine($"Chat chunk: {stopwatch.Elapsed.TotalNanoseconds / Lines:F0} ns per chunk, {allocated} bytes allocated for {Lines} chunks");
        Assert.Equal(0, allocated);
    }
}

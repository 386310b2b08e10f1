using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sub2Api.Billing;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.AnthropicSseFixtures;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicSseObserverTests
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Feeds every line and returns what the relay would send: each forwarded line plus "\n".</summary>
    private static string Relay(AnthropicSseObserver observer, IEnumerable<byte[]> lines, string newline = "\n")
    {
        var output = new StringBuilder();
        foreach (var line in lines)
        {
            output.Append(Encoding.UTF8.GetString(observer.Observe(line))).Append(newline);
        }

        return output.ToString();
    }

    private static bool SameMemory(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == b.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b));

    [Fact]
    public void Observe_ClaudeStream_ReadsUsageWithCacheSplitAndForwardsUnchanged()
    {
        var observer = new AnthropicSseObserver();
        var output = Relay(observer, Lines(ClaudeStream));

        Assert.Equal(ClaudeStream, output);
        Assert.Equal(new TokenUsage(25, 15, 1200, 3400, 200, 1000), observer.Usage);
        Assert.True(observer.SawFirstData);
        Assert.True(observer.SawMessageStop);
        Assert.False(observer.SawErrorEvent);
        Assert.Null(observer.ErrorEventData);
        Assert.Equal(UpstreamModel, observer.UpstreamModel);
    }

    [Fact]
    public void Observe_GlmUsageOnlyInMessageDelta_TakesItFromDelta()
    {
        var observer = new AnthropicSseObserver();
        Relay(observer, Lines(GlmUsageInDelta));

        Assert.Equal(new TokenUsage(120, 42, 0, 30), observer.Usage);
        Assert.Equal("glm-4.6", observer.UpstreamModel);
        Assert.True(observer.SawMessageStop);
    }

    [Fact]
    public void Observe_DeltaRepeatsInputTokens_MessageStartValueWins()
    {
        var observer = new AnthropicSseObserver();
        observer.Observe("""data: {"type":"message_start","message":{"usage":{"input_tokens":25,"cache_read_input_tokens":9}}}"""u8);
        observer.Observe("""data: {"type":"message_delta","usage":{"input_tokens":99,"cache_read_input_tokens":77,"output_tokens":4}}"""u8);
        observer.Observe("""data: {"type":"message_delta","usage":{"output_tokens":8}}"""u8);
        observer.Observe("""data: {"type":"message_delta","delta":{}}"""u8);

        Assert.Equal(new TokenUsage(25, 8, 0, 9), observer.Usage);
    }

    [Fact]
    public void Observe_StreamCutBeforeMessageDelta_BillsMessageStartsOutputCount()
    {
        var observer = new AnthropicSseObserver();
        observer.Observe("""data: {"type":"message_start","message":{"usage":{"input_tokens":25,"cache_read_input_tokens":9,"output_tokens":3}}}"""u8);
        observer.Observe("""data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}"""u8);

        Assert.Equal(new TokenUsage(25, 3, 0, 9), observer.Usage);
    }

    [Fact]
    public void Observe_OutputCounts_HighestReportWins_ALowerLaterReportNeverUndercounts()
    {
        var observer = new AnthropicSseObserver();
        observer.Observe("""data: {"type":"message_start","message":{"usage":{"input_tokens":25,"output_tokens":1}}}"""u8);
        observer.Observe("""data: {"type":"message_delta","usage":{"output_tokens":40}}"""u8);
        observer.Observe("""data: {"type":"message_delta","usage":{"output_tokens":12}}"""u8);
        observer.Observe("""data: {"type":"message_delta","usage":{"output_tokens":0}}"""u8);

        Assert.Equal(40, observer.Usage.OutputTokens);
    }

    [Fact]
    public void Observe_DataWithoutSpace_ParsedLikeWithSpace()
    {
        var observer = new AnthropicSseObserver();
        var output = Relay(observer, Lines(NoSpaceAfterColon));

        Assert.Equal(NoSpaceAfterColon, output);
        Assert.Equal(new TokenUsage(7, 3, 0, 5), observer.Usage);
        Assert.True(observer.SawMessageStop);
        Assert.False(observer.SawErrorEvent);
    }

    [Fact]
    public void Observe_ErrorEventMidStream_FlagsErrorAndKeepsItsData()
    {
        var observer = new AnthropicSseObserver();
        Relay(observer, Lines(ErrorMidStream));

        Assert.True(observer.SawErrorEvent);
        Assert.Equal(ErrorEventPayload, observer.ErrorEventData);
        Assert.False(observer.SawMessageStop);
        Assert.Equal(11, observer.Usage.InputTokens);
    }

    [Theory]
    [InlineData("event: error", true)]
    [InlineData("event:error", true)]
    [InlineData("event: error\r", true)]
    [InlineData("event: errors", false)]
    [InlineData("event: message_start", false)]
    [InlineData("data: error", false)]
    public void Observe_EventLine_DetectsErrorEvent(string line, bool expected)
    {
        var observer = new AnthropicSseObserver();
        observer.Observe(Encoding.UTF8.GetBytes(line));
        Assert.Equal(expected, observer.SawErrorEvent);
    }

    [Fact]
    public void Observe_ErrorEventThenBlankLine_DoesNotCaptureLaterData()
    {
        var observer = new AnthropicSseObserver();
        observer.Observe("event: error"u8);
        observer.Observe(""u8);
        observer.Observe("""data: {"type":"ping"}"""u8);

        Assert.True(observer.SawErrorEvent);
        Assert.Null(observer.ErrorEventData);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Observe_CrlfStream_ReadsSameUsage(bool keepCarriageReturn)
    {
        var observer = new AnthropicSseObserver();
        var output = Relay(observer, Lines(ClaudeStreamCrlf, keepCarriageReturn), keepCarriageReturn ? "\n" : "\r\n");

        Assert.Equal(ClaudeStreamCrlf, output);
        Assert.Equal(new TokenUsage(25, 15, 1200, 3400, 200, 1000), observer.Usage);
        Assert.True(observer.SawMessageStop);
    }

    [Theory]
    [InlineData("data: [DONE]", false)]
    [InlineData("data:", false)]
    [InlineData("data: ", false)]
    [InlineData("data: {\"type\":\"ping\"}", true)]
    [InlineData("data: not json at all", true)]
    [InlineData(": keep-alive comment", false)]
    [InlineData("event: ping", false)]
    public void Observe_Line_FlipsFirstDataOnlyForRealPayloads(string line, bool expected)
    {
        var observer = new AnthropicSseObserver();
        var bytes = Encoding.UTF8.GetBytes(line);

        Assert.True(SameMemory(bytes, observer.Observe(bytes)));
        Assert.Equal(expected, observer.SawFirstData);
        Assert.Equal(default, observer.Usage);
    }

    [Theory]
    [InlineData("data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":\"many\"}}}")]
    [InlineData("data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}")]
    [InlineData("data: {\"type\":\"message_start\",\"message\":[1,2]}")]
    [InlineData("data: [\"message_start\"]")]
    [InlineData("data: {\"type\":7}")]
    public void Observe_MalformedPayload_NeverThrowsAndCountsNothing(string line)
    {
        var observer = new AnthropicSseObserver("a", "b");
        var bytes = Encoding.UTF8.GetBytes(line);

        Assert.True(SameMemory(bytes, observer.Observe(bytes)));
        Assert.Equal(default, observer.Usage);
    }

    [Theory]
    [InlineData("claude-3-5-sonnet-20241022")]
    [InlineData("client \"quoted\" model/ü")]
    public void Observe_MessageStartWithMappedModel_RewritesOnlyTheModel(string clientModel)
    {
        var observer = new AnthropicSseObserver(UpstreamModel, clientModel);
        var line = Encoding.UTF8.GetBytes(MessageStartLine);

        var rewritten = Encoding.UTF8.GetString(observer.Observe(line));

        Assert.StartsWith("data: {", rewritten, StringComparison.Ordinal);
        using var original = JsonDocument.Parse(MessageStartLine["data: ".Length..]);
        using var mapped = JsonDocument.Parse(rewritten["data: ".Length..]);
        Assert.Equal(clientModel, mapped.RootElement.GetProperty("message").GetProperty("model").GetString());
        var literal = JsonSerializer.Serialize(clientModel, RelaxedJson);
        Assert.Equal(MessageStartLine.Replace($"\"{UpstreamModel}\"", literal, StringComparison.Ordinal), rewritten);
        Assert.Equal(new TokenUsage(25, 0, 1200, 3400, 200, 1000), observer.Usage);
        Assert.Equal(UpstreamModel, observer.UpstreamModel);
        Assert.True(JsonElement.DeepEquals(original.RootElement.GetProperty("message").GetProperty("usage"), mapped.RootElement.GetProperty("message").GetProperty("usage")));
    }

    [Fact]
    public void Observe_MappedStreamWithoutSpace_KeepsPrefixAndOtherLinesUntouched()
    {
        var observer = new AnthropicSseObserver(UpstreamModel, "claude-opus-4-1");
        var lines = Lines(NoSpaceAfterColon);

        var output = Relay(observer, lines);

        Assert.Equal(NoSpaceAfterColon.Replace(UpstreamModel, "claude-opus-4-1", StringComparison.Ordinal), output);
        Assert.True(SameMemory(lines[4], observer.Observe(lines[4])));
    }

    [Theory]
    [InlineData("other-model", "client-model")]
    [InlineData(null, "client-model")]
    [InlineData("claude-sonnet-4-5-20250929", null)]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")]
    public void Observe_MessageStartWithoutApplicableMapping_ReturnsSameSpan(string? from, string? to)
    {
        var observer = new AnthropicSseObserver(from, to);
        var line = Encoding.UTF8.GetBytes(MessageStartLine);

        Assert.True(SameMemory(line, observer.Observe(line)));
        Assert.Equal(UpstreamModel, observer.UpstreamModel);
    }

    [Theory]
    [InlineData("data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello, \\\"world\\\"\"}}")]
    [InlineData("data: {\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\": 1}\"},\"type\":\"content_block_delta\"}")]
    [InlineData("data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}")]
    [InlineData("event: content_block_delta")]
    public void Observe_HotPathLine_AllocatesNothing(string text)
    {
        var observer = new AnthropicSseObserver("upstream-model", "client-model");
        var line = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < 200; i++)
        {
            observer.Observe(line);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            observer.Observe(line);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}

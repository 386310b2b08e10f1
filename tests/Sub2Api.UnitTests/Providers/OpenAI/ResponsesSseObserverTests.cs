using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sub2Api.Billing;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class ResponsesSseObserverTests
{
    private const string Created = """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1765000000,"status":"in_progress","error":null,"incomplete_details":null,"model":"gpt-5.1-codex","output":[],"usage":null}}""";
    private const string InProgress = """{"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","object":"response","status":"in_progress","error":null,"output":[],"usage":null}}""";
    private const string ItemAdded = """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}}""";
    private const string Completed = """{"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","object":"response","status":"completed","error":null,"model":"gpt-5.1-codex","output":[{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello"}]}],"usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1000},"output_tokens":57,"output_tokens_details":{"reasoning_tokens":40},"total_tokens":1257}}}""";

    // Writes quotes as \" the way OpenAI does (the default encoder would write \u0022 and hide the case).
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Delta(string text) =>
        $$"""{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":{{JsonSerializer.Serialize(text, Relaxed)}}}""";

    /// <summary>The lines of one event as the upstream sends them: event, data, blank.</summary>
    private static IEnumerable<string> Event(string data)
    {
        using var document = JsonDocument.Parse(data);
        yield return "event: " + document.RootElement.GetProperty("type").GetString();
        yield return "data: " + data;
        yield return "";
    }

    private static void Feed(ResponsesSseObserver observer, params string[] events)
    {
        foreach (var line in events.SelectMany(Event))
        {
            observer.Observe(Encoding.UTF8.GetBytes(line));
        }
    }

    [Fact]
    public void Observe_CodexStream_UsageExact()
    {
        var observer = new ResponsesSseObserver();

        Feed(observer, Created, InProgress, ItemAdded, Delta("Hel"), Delta("lo"), Completed);
        observer.Observe("data: [DONE]"u8);

        Assert.True(observer.HasUsage);
        Assert.Equal(new TokenUsage(200, 57, 0, 1000), observer.Usage);
        Assert.True(observer.SawCompleted);
        Assert.False(observer.SawErrorEvent);
        Assert.Null(observer.CompletedResponse);
    }

    [Fact]
    public void Observe_Preamble_HoldsThroughCreatedAndInProgress_FlipsOnFirstOutputItem()
    {
        var observer = new ResponsesSseObserver();
        Assert.True(observer.InPreamble);
        Assert.False(observer.SawFirstData);

        Feed(observer, Created);
        Assert.True(observer.SawFirstData);
        Assert.True(observer.InPreamble);

        Feed(observer, InProgress);
        Assert.True(observer.InPreamble);

        Feed(observer, ItemAdded);
        Assert.False(observer.InPreamble);

        Feed(observer, Created);
        Assert.False(observer.InPreamble);
    }

    [Fact]
    public void Observe_Preamble_FlipsOnADeltaToo()
    {
        var observer = new ResponsesSseObserver();

        Feed(observer, Created, Delta("x"));

        Assert.False(observer.InPreamble);
    }

    [Fact]
    public void Observe_ResponseFailed_IsAnErrorWithItsMessage_AndLeavesThePreamble()
    {
        var observer = new ResponsesSseObserver();

        Feed(observer, Created, """{"type":"response.failed","sequence_number":2,"response":{"id":"resp_1","status":"failed","error":{"code":"server_error","message":"The server had an error"},"usage":null}}""");

        Assert.True(observer.SawErrorEvent);
        Assert.Equal("The server had an error", observer.FailureMessage);
        Assert.True(observer.InPreamble);
        Assert.False(observer.HasUsage);
        Assert.False(observer.SawCompleted);
    }

    [Fact]
    public void Observe_ErrorEvent_IsAnErrorWithItsMessage()
    {
        var observer = new ResponsesSseObserver();

        Feed(observer, """{"type":"error","sequence_number":0,"code":"rate_limit_exceeded","message":"Rate limit reached","param":null}""");

        Assert.True(observer.SawErrorEvent);
        Assert.Equal("Rate limit reached", observer.FailureMessage);
    }

    [Fact]
    public void Observe_UntypedErrorPayload_IsAnError()
    {
        var observer = new ResponsesSseObserver();

        observer.Observe("data: {\"error\":{\"type\":\"server_error\",\"message\":\"boom\"}}"u8);

        Assert.True(observer.SawErrorEvent);
        Assert.Equal("boom", observer.FailureMessage);
    }

    [Fact]
    public void Observe_EventErrorLine_AloneMarksTheError()
    {
        var observer = new ResponsesSseObserver();

        observer.Observe("event: error"u8);

        Assert.True(observer.SawErrorEvent);
    }

    [Theory]
    [InlineData("response.completed")]
    [InlineData("\"type\":\"response.completed\"")]
    [InlineData("response.failed")]
    [InlineData("error")]
    [InlineData("response.created")]
    public void Observe_DeltaWhoseTextLooksLikeAnEvent_IsTakenForTheDeltaItIs(string text)
    {
        var observer = new ResponsesSseObserver(collectFinal: true);

        Feed(observer, Created, ItemAdded, Delta(text));

        Assert.False(observer.HasUsage);
        Assert.False(observer.SawCompleted);
        Assert.False(observer.SawErrorEvent);
        Assert.Null(observer.CompletedResponse);
        Assert.False(observer.InPreamble);
    }

    [Fact]
    public void Observe_DeltaTextEqualToAMarker_InThePreamble_FlipsIt()
    {
        var observer = new ResponsesSseObserver();

        Feed(observer, Created, Delta("response.created"));

        Assert.False(observer.InPreamble);
    }

    [Theory]
    [InlineData("response.done")]
    [InlineData("response.incomplete")]
    public void Observe_OtherFinalEvents_CarryUsageToo(string type)
    {
        var observer = new ResponsesSseObserver();

        Feed(observer, Completed.Replace("response.completed", type, StringComparison.Ordinal));

        Assert.True(observer.HasUsage);
        Assert.Equal(new TokenUsage(200, 57, 0, 1000), observer.Usage);
    }

    [Fact]
    public void Observe_CollectFinal_KeepsTheRawResponseObject()
    {
        var observer = new ResponsesSseObserver(collectFinal: true);

        Feed(observer, Created, ItemAdded, Delta("Hello"), Completed);

        var response = Encoding.UTF8.GetString(observer.CompletedResponse!);
        using var expected = JsonDocument.Parse(Completed);
        Assert.Equal(expected.RootElement.GetProperty("response").GetRawText(), response);
    }

    [Fact]
    public void Observe_CachedExceedsInput_InputIsClampedToZero()
    {
        var observer = new ResponsesSseObserver();

        observer.Observe("data: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":5,\"input_tokens_details\":{\"cached_tokens\":9},\"output_tokens\":1}}}"u8);

        Assert.Equal(new TokenUsage(0, 1, 0, 9), observer.Usage);
    }

    [Fact]
    public void Observe_NonJsonData_IsIgnoredButCountsAsOutput()
    {
        var observer = new ResponsesSseObserver();

        observer.Observe("data: \"error\" not json"u8);
        observer.Observe(": keep-alive"u8);

        Assert.True(observer.SawFirstData);
        Assert.False(observer.InPreamble);
        Assert.False(observer.SawErrorEvent);
    }

    [Fact]
    public void Observe_SpacedJson_StillRecognised()
    {
        var observer = new ResponsesSseObserver();

        observer.Observe("data:{ \"type\" : \"response.completed\", \"response\" : { \"usage\" : { \"input_tokens\" : 3, \"output_tokens\" : 2 } } }"u8);

        Assert.Equal(new TokenUsage(3, 2, 0, 0), observer.Usage);
    }
}

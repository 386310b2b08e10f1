using System.Text;
using Sub2Api.Billing;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class ChatSseObserverTests
{
    private static void Feed(ChatSseObserver observer, params string[] lines)
    {
        foreach (var line in lines)
        {
            observer.Observe(Encoding.UTF8.GetBytes(line));
        }
    }

    [Fact]
    public void Observe_StreamWithIncludeUsage_ReadsTheLastChunksUsage()
    {
        var observer = new ChatSseObserver();

        Feed(observer,
            """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}""",
            "",
            """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\"usage\":{"}}],"usage":null}""",
            "",
            """data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":8}}}""",
            "",
            "data: [DONE]");

        Assert.True(observer.HasUsage);
        Assert.Equal(new TokenUsage(36, 20, 0, 64), observer.Usage);
        Assert.True(observer.SawDone);
        Assert.False(observer.SawErrorEvent);
    }

    [Fact]
    public void Observe_FirstDataLine_EndsThePreamble()
    {
        var observer = new ChatSseObserver();
        Assert.True(observer.InPreamble);

        Feed(observer, """data: {"choices":[{"delta":{"content":"hi"}}]}""");

        Assert.True(observer.SawFirstData);
        Assert.False(observer.InPreamble);
        Assert.False(observer.HasUsage);
    }

    [Fact]
    public void Observe_ErrorChunk_IsAnError_AndLeavesThePreamble()
    {
        var observer = new ChatSseObserver();

        Feed(observer, """data: {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""");

        Assert.True(observer.SawErrorEvent);
        Assert.Equal("Rate limit reached", observer.FailureMessage);
        Assert.True(observer.InPreamble);
    }

    [Fact]
    public void Observe_ContentMentioningError_IsNotAnError()
    {
        var observer = new ChatSseObserver();

        Feed(observer, """data: {"choices":[{"delta":{"content":"error"}}],"error":null}""");

        Assert.False(observer.SawErrorEvent);
        Assert.False(observer.InPreamble);
    }
}

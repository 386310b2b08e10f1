using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class OpenAISessionHashTests
{
    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }
        return dictionary;
    }

    private static string Expected(string id) =>
        "openai:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string Compute(string body, HeaderDictionary? headers = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var parsed = OpenAIRequestParser.TryParseResponses(bytes, out var info, out _)
            || OpenAIRequestParser.TryParseChat(bytes, out info, out _);
        Assert.True(parsed);
        return OpenAISessionHash.Compute(info!, headers ?? Headers(), bytes);
    }

    private const string KeyedBody = """{"model":"m","input":"hi","prompt_cache_key":"cache-key"}""";

    [Fact]
    public void Compute_SessionIdHeader_WinsOverEverything()
    {
        var headers = Headers(("session_id", "sess-1"), ("conversation_id", "conv-1"), ("thread-id", "thr-1"));

        Assert.Equal(Expected("sess-1"), Compute(KeyedBody, headers));
    }

    [Fact]
    public void Compute_CodexDashedSessionId_IsAccepted()
    {
        var headers = Headers(("session-id", "019a0000-codex"), ("thread-id", "thr-1"));

        Assert.Equal(Expected("019a0000-codex"), Compute(KeyedBody, headers));
    }

    [Theory]
    [InlineData("conversation_id")]
    [InlineData("conversation-id")]
    [InlineData("thread-id")]
    public void Compute_ConversationHeaders_ComeSecond(string name) =>
        Assert.Equal(Expected("conv-9"), Compute(KeyedBody, Headers((name, "conv-9"))));

    [Fact]
    public void Compute_PromptCacheKey_ComesThird()
    {
        Assert.Equal(Expected("cache-key"), Compute(KeyedBody));
        Assert.Equal(Expected("cache-key"), Compute(KeyedBody, Headers(("session_id", "   "))));
    }

    [Fact]
    public void Compute_ContentHash_IsStableAcrossTurnsOfOneConversation()
    {
        var turn1 = """{"model":"m","instructions":"sys","input":[{"role":"user","content":[{"type":"input_text","text":"task"}]}]}""";
        var turn2 = """{"model":"m","instructions":"sys","input":[{"role":"user","content":[{"type":"input_text","text":"task"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]},{"role":"user","content":"more"}]}""";

        var first = Compute(turn1);
        Assert.StartsWith("openai:", first);
        Assert.Equal(71, first.Length);
        Assert.Equal(first, Compute(turn2));
    }

    [Fact]
    public void Compute_ContentHash_DiffersByInstructionsAndFirstUserText()
    {
        var a = Compute("""{"model":"m","instructions":"sys","input":"task A"}""");

        Assert.NotEqual(a, Compute("""{"model":"m","instructions":"sys","input":"task B"}"""));
        Assert.NotEqual(a, Compute("""{"model":"m","instructions":"other","input":"task A"}"""));
    }

    [Fact]
    public void Compute_ContentHash_IgnoresEscapingAndPropertyOrder()
    {
        var plain = Compute("""{"model":"m","input":[{"role":"user","content":"caf\u00e9"}]}""");

        Assert.Equal(plain, Compute("""{"model":"m","input":[{"content":"café","role":"user"}]}"""));
    }

    [Fact]
    public void Compute_ContentHash_NeverEqualsTheHashOfAnIdWithTheSameText()
    {
        Assert.NotEqual(Expected("task"), Compute("""{"model":"m","input":"task"}"""));
    }

    [Fact]
    public void Compute_Chat_UsesFirstSystemAndFirstUserMessage()
    {
        var turn1 = """{"model":"m","messages":[{"role":"system","content":"sys"},{"role":"user","content":"q"}]}""";
        var turn2 = """{"model":"m","messages":[{"role":"system","content":"sys"},{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"q2"}]}""";
        var other = """{"model":"m","messages":[{"role":"system","content":"sys2"},{"role":"user","content":"q"}]}""";

        Assert.Equal(Compute(turn1), Compute(turn2));
        Assert.NotEqual(Compute(turn1), Compute(other));
    }

    [Fact]
    public void Compute_DeveloperMessageStandsInForMissingInstructions()
    {
        var withDeveloper = Compute("""{"model":"m","input":[{"role":"developer","content":"dev"},{"role":"user","content":"u"}]}""");

        Assert.NotEqual(withDeveloper, Compute("""{"model":"m","input":[{"role":"user","content":"u"}]}"""));
    }

    [Fact]
    public void Compute_NothingUsable_IsEmpty()
    {
        Assert.Equal("", Compute("""{"model":"m","previous_response_id":"resp_1"}"""));
        Assert.Equal("", Compute("""{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":"x"}]}"""));
    }
}

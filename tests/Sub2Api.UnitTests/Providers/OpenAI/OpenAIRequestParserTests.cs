using System.Text;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class OpenAIRequestParserTests
{
    private static OpenAIRequestInfo Responses(string json)
    {
        Assert.True(OpenAIRequestParser.TryParseResponses(Encoding.UTF8.GetBytes(json), out var info, out var error), error);
        return info!;
    }

    private static string ResponsesError(string json)
    {
        Assert.False(OpenAIRequestParser.TryParseResponses(Encoding.UTF8.GetBytes(json), out var info, out var error));
        Assert.Null(info);
        return error!;
    }

    private static OpenAIRequestInfo Chat(string json)
    {
        Assert.True(OpenAIRequestParser.TryParseChat(Encoding.UTF8.GetBytes(json), out var info, out var error), error);
        return info!;
    }

    private static string ChatError(string json)
    {
        Assert.False(OpenAIRequestParser.TryParseChat(Encoding.UTF8.GetBytes(json), out var info, out var error));
        Assert.Null(info);
        return error!;
    }

    [Fact]
    public void Responses_CodexStyleBody_ReadsEveryField()
    {
        var info = Responses("""
            {"model":"gpt-5.1-codex","instructions":"be brief","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}],
             "stream":true,"store":false,"prompt_cache_key":"019a-conv","include":["reasoning.encrypted_content"]}
            """);

        Assert.Equal(new OpenAIRequestInfo("gpt-5.1-codex", true, "019a-conv", false, true), info);
    }

    [Fact]
    public void Responses_StringInputNoStreamNoInstructions_Defaults()
    {
        var info = Responses("""{"model":"gpt-4.1","input":"hello"}""");

        Assert.Equal(new OpenAIRequestInfo("gpt-4.1", false, null, false, false), info);
    }

    [Theory]
    [InlineData("""{"model":"m","previous_response_id":"resp_1"}""")]
    [InlineData("""{"model":"m","prompt":{"id":"pmpt_1"}}""")]
    [InlineData("""{"model":"m","conversation":"conv_1"}""")]
    public void Responses_NoInput_AcceptedWhenTheConversationComesFromElsewhere(string json) =>
        Assert.Equal("m", Responses(json).Model);

    [Theory]
    [InlineData("", OpenAIRequestParser.EmptyBody)]
    [InlineData("  \n", OpenAIRequestParser.EmptyBody)]
    [InlineData("{not json", OpenAIRequestParser.ParseFailed)]
    [InlineData("[1,2]", OpenAIRequestParser.NotAnObject)]
    [InlineData("""{"input":"x"}""", OpenAIRequestParser.ModelRequired)]
    [InlineData("""{"model":null,"input":"x"}""", OpenAIRequestParser.ModelRequired)]
    [InlineData("""{"model":"","input":"x"}""", OpenAIRequestParser.ModelRequired)]
    [InlineData("""{"model":"  ","input":"x"}""", OpenAIRequestParser.ModelRequired)]
    [InlineData("""{"model":42,"input":"x"}""", OpenAIRequestParser.ModelNotString)]
    [InlineData("""{"model":"\ud800","input":"x"}""", OpenAIRequestParser.ModelNotUnicode)]
    [InlineData("""{"model":"m","input":"x","stream":"yes"}""", OpenAIRequestParser.StreamNotBoolean)]
    [InlineData("""{"model":"m"}""", OpenAIRequestParser.InputRequired)]
    [InlineData("""{"model":"m","input":null}""", OpenAIRequestParser.InputRequired)]
    [InlineData("""{"model":"m","input":{"role":"user"}}""", OpenAIRequestParser.InputWrongType)]
    [InlineData("""{"model":"m","input":"x","instructions":["a"]}""", OpenAIRequestParser.InstructionsWrongType)]
    [InlineData("""{"model":"m","model":"n","input":"x"}""", OpenAIRequestParser.DuplicateProperty)]
    public void Responses_ClientMistakes_SayWhatIsWrong(string json, string expected) =>
        Assert.Equal(expected, ResponsesError(json));

    [Fact]
    public void Responses_InvalidUtf8_IsRefused()
    {
        byte[] body = [.. """{"model":"m","input":"""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(OpenAIRequestParser.TryParseResponses(body, out _, out var error));
        Assert.Equal(OpenAIRequestParser.NotUtf8, error);
    }

    [Fact]
    public void Responses_NonStringOrBlankPromptCacheKey_IsNoKey()
    {
        Assert.Null(Responses("""{"model":"m","input":"x","prompt_cache_key":7}""").PromptCacheKey);
        Assert.Null(Responses("""{"model":"m","input":"x","prompt_cache_key":"  "}""").PromptCacheKey);
        Assert.Null(Responses("""{"model":"m","input":"x","prompt_cache_key":null}""").PromptCacheKey);
    }

    [Fact]
    public void Responses_EmptyOrNullInstructions_AreNotInstructions()
    {
        Assert.False(Responses("""{"model":"m","input":"x","instructions":""}""").HasInstructions);
        Assert.False(Responses("""{"model":"m","input":"x","instructions":null}""").HasInstructions);
    }

    [Fact]
    public void Chat_StreamWithIncludeUsageAndSystem_ReadsEveryField()
    {
        var info = Chat("""
            {"model":"gpt-4.1","messages":[{"role":"system","content":"s"},{"role":"user","content":"hi"}],
             "stream":true,"stream_options":{"include_usage":true},"prompt_cache_key":"k1"}
            """);

        Assert.Equal(new OpenAIRequestInfo("gpt-4.1", true, "k1", true, true), info);
    }

    [Fact]
    public void Chat_DeveloperMessage_CountsAsInstructions_AndIncludeUsageDefaultsFalse()
    {
        var info = Chat("""{"model":"o3","messages":[{"role":"developer","content":"d"},{"role":"user","content":"u"}],"stream":true}""");

        Assert.True(info.HasInstructions);
        Assert.False(info.IncludeUsage);
        Assert.False(Chat("""{"model":"o3","messages":[{"role":"user","content":"u"}],"stream_options":{"include_usage":false}}""").IncludeUsage);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", OpenAIRequestParser.MessagesRequired)]
    [InlineData("""{"model":"m","messages":[]}""", OpenAIRequestParser.MessagesRequired)]
    [InlineData("""{"model":"m","messages":"hi"}""", OpenAIRequestParser.MessagesRequired)]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", OpenAIRequestParser.ModelRequired)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":1}""", OpenAIRequestParser.StreamNotBoolean)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":true}""", OpenAIRequestParser.StreamOptionsNotObject)]
    public void Chat_ClientMistakes_SayWhatIsWrong(string json, string expected) =>
        Assert.Equal(expected, ChatError(json));
}

using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicRequestParserTests
{
    [Theory]
    [InlineData("", "Request body is empty")]
    [InlineData(" \r\n\t", "Request body is empty")]
    [InlineData("not json", "Failed to parse request body")]
    [InlineData("[1,2]", "Request body must be a JSON object")]
    [InlineData("\"model\"", "Request body must be a JSON object")]
    [InlineData("null", "Request body must be a JSON object")]
    [InlineData("{\"model\":\"m\",", "Failed to parse request body")]
    [InlineData("{\"model\":\"a\",\"model\":\"b\"}", "Failed to parse request body")]
    [InlineData("{}", "model is required")]
    [InlineData("{\"model\":\"\"}", "model is required")]
    [InlineData("{\"model\":null}", "model is required")]
    [InlineData("{\"model\":42}", "model must be a string")]
    [InlineData("{\"model\":[\"m\"]}", "model must be a string")]
    [InlineData("{\"model\":\"m\",\"stream\":\"true\"}", "stream must be a boolean")]
    [InlineData("{\"model\":\"m\",\"stream\":1}", "stream must be a boolean")]
    [InlineData("{\"model\":\"m\",\"messages\":{}}", "messages must be an array")]
    [InlineData("{\"model\":\"m\",\"messages\":null}", "messages must be an array")]
    [InlineData("{\"model\":\"m\",\"metadata\":\"u1\"}", "metadata must be an object")]
    [InlineData("{\"model\":\"m\",\"metadata\":null}", "metadata must be an object")]
    [InlineData("{\"model\":\"m\",\"thinking\":\"enabled\"}", "thinking must be an object")]
    [InlineData("{\"model\":\"m\",\"thinking\":[]}", "thinking must be an object")]
    [InlineData("{\"model\":\"m\",\"system\":5}", "system must be a string or an array")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":1.5}", "max_tokens must be an integer")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":\"10\"}", "max_tokens must be an integer")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":1e400}", "max_tokens must be an integer")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":-1e400}", "max_tokens must be an integer")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":99999999999999999999}", "max_tokens must be an integer")]
    public void TryParse_InvalidBody_ReturnsOriginalError(string body, string expected)
    {
        Assert.False(AnthropicRequestParser.TryParse(Utf8(body), out var info, out var error));
        Assert.Null(info);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_ClaudeCodeFirstTurn_ReadsEveryField()
    {
        var info = Parse(FirstTurn("hi"));

        Assert.Equal("claude-opus-4-8", info.Model);
        Assert.True(info.Stream);
        Assert.Equal(UserIdJson.Replace("\\\"", "\"", StringComparison.Ordinal), info.MetadataUserId);
        Assert.True(info.HasSystem);
        Assert.True(info.HasTools);
        Assert.Equal("adaptive", info.ThinkingType);
        Assert.Equal(64000, info.MaxTokens);
        Assert.Equal(Banner + MainPrompt, info.CacheableSystemText);
        Assert.Equal(BillingHeader + Banner + MainPrompt, info.SystemText);
        Assert.Equal(Reminder + "hi", info.FirstMessageText);
        Assert.Equal(Reminder + "hi", info.FirstCacheableMessageText);
    }

    [Fact]
    public void TryParse_SecondTurn_FirstCacheableMessageIsTheNewestOne()
    {
        var info = Parse(SecondTurn("hi", "now list files"));

        Assert.Equal(Reminder + "hi", info.FirstMessageText);
        Assert.Equal("now list files", info.FirstCacheableMessageText);
        Assert.False(info.HasTools);
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", false, false, "", "")]
    [InlineData("{\"model\":\"m\",\"system\":null,\"stream\":null}", true, false, "", "")]
    [InlineData("{\"model\":\"m\",\"system\":\"be brief\",\"stream\":false}", true, false, "be brief", "")]
    [InlineData("{\"model\":\"m\",\"system\":[{\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\",\"cache_control\":{\"type\":\"ephemeral\"}},7],\"stream\":true}", true, true, "ab", "b")]
    public void TryParse_SystemForms_TextAndFlags(string body, bool hasSystem, bool stream, string systemText, string cacheable)
    {
        var info = Parse(body);

        Assert.Equal(hasSystem, info.HasSystem);
        Assert.Equal(stream, info.Stream);
        Assert.Equal(systemText, info.SystemText);
        Assert.Equal(cacheable, info.CacheableSystemText);
    }

    [Theory]
    [InlineData("\"hello\"", "hello")]
    [InlineData("[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image\",\"source\":{}},{\"type\":\"text\",\"text\":\"b\"}]", "ab")]
    [InlineData("[{\"type\":\"tool_result\",\"text\":\"x\"},{\"type\":5,\"text\":\"y\"}]", "")]
    [InlineData("null", "")]
    public void TryParse_FirstMessageContent_TextOfStringOrTextBlocks(string content, string expected)
    {
        var info = Parse($$"""{"model":"m","messages":[{"role":"user","content":{{content}}},{"role":"user","content":"later"}]}""");

        Assert.Equal(expected, info.FirstMessageText);
        Assert.Null(info.FirstCacheableMessageText);
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("64000", 64000L)]
    [InlineData("64000.0", 64000L)]
    [InlineData("1e3", 1000L)]
    [InlineData("-5", -5L)]
    [InlineData("null", null)]
    public void TryParse_MaxTokens_OnlyIntegral(string value, long? expected) =>
        Assert.Equal(expected, Parse($$"""{"model":"m","max_tokens":{{value}}}""").MaxTokens);

    [Theory]
    [InlineData("\"tools\":[]", false)]
    [InlineData("\"tools\":{}", false)]
    [InlineData("\"tools\":[{\"name\":\"t\"}]", true)]
    public void TryParse_Tools_NonEmptyArrayOnly(string tools, bool expected) =>
        Assert.Equal(expected, Parse($$"""{"model":"m",{{tools}}}""").HasTools);

    [Theory]
    [InlineData("\"metadata\":{\"user_id\":\"u1\"},\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}", "u1", "enabled")]
    [InlineData("\"metadata\":{\"user_id\":5},\"thinking\":{\"type\":null}", null, null)]
    [InlineData("\"metadata\":{\"user_id\":[\"u1\"]},\"thinking\":{}", null, null)]
    public void TryParse_MetadataAndThinking_StringsOnly(string members, string? userId, string? thinking)
    {
        var info = Parse($$"""{"model":"m",{{members}}}""");

        Assert.Equal(userId, info.MetadataUserId);
        Assert.Equal(thinking, info.ThinkingType);
    }

    [Theory]
    [InlineData("""{"model":"m\ud800"}""", "model")]
    [InlineData("""{"model":"m","system":"\udfff"}""", "system")]
    [InlineData("""{"model":"m","system":[{"type":"text","text":"a\ud800\u0041"}]}""", "system")]
    [InlineData("""{"model":"m","system":[{"type":"\ud800","text":"a"}]}""", "system")]
    [InlineData("""{"model":"m","system":[{"type":"text","text":"a","cache_control":{"type":"\ud800"}}]}""", "system")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"\ud800"}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"\ud800"}]}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text\ud800","text":"a"}]}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"x\udfff"}]}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"\ud800","cache_control":{"type":"ephemeral"}}]}]}""", "messages")]
    [InlineData("""{"model":"m","tools":[{"name":"t","type":"\ud800"}]}""", "tools")]
    [InlineData("""{"model":"m","metadata":{"user_id":"\ud800"}}""", "metadata.user_id")]
    [InlineData("""{"model":"m","thinking":{"type":"\udc00"}}""", "thinking.type")]
    [InlineData("""{"model":"m","\ud800":1}""", "A property name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a","\ud800":1}]}""", "A property name")]
    public void TryParse_LoneSurrogateInAStringTheRelayReads_IsAnErrorNamingTheField(string body, string field)
    {
        Assert.False(AnthropicRequestParser.TryParse(Utf8(body), out var info, out var error));
        Assert.Null(info);
        Assert.Equal(AnthropicRequestParser.NotUnicode(field), error);
    }

    [Fact]
    public void TryParse_LoneSurrogateInStringsTheRelayDoesNotRead_IsAccepted()
    {
        var info = Parse("""
            {"model":"m","x":"\ud800","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"\udfff"},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"\ud800","content":"\ud800"}]}],
             "tools":[{"name":"\ud800","description":"\udfff","input_schema":{"type":"object"}}],"metadata":{"other":"\ud800"}}
            """);

        Assert.Equal("hi", info.FirstMessageText);
    }

    [Fact]
    public void TryParse_ValidSurrogatePairEscape_Decodes() =>
        Assert.Equal("\U0001F600", Parse("""{"model":"m","system":"\ud83d\ude00"}""").SystemText);

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void TryParse_InvalidUtf8Anywhere_IsAnError(byte[] invalid)
    {
        byte[] body = [.. "{\"model\":\"m\",\"x\":\""u8, .. invalid, .. "\"}"u8];

        Assert.False(AnthropicRequestParser.TryParse(body, out _, out var error));
        Assert.Equal(AnthropicRequestParser.NotUtf8, error);
    }

    [Fact]
    public void TryParse_DeepNesting_IsAParseError()
    {
        var body = "{\"model\":\"m\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        Assert.False(AnthropicRequestParser.TryParse(Utf8(body), out _, out var error));
        Assert.Equal(AnthropicRequestParser.ParseFailed, error);
    }
}

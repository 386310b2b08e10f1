using System.Text.Json;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicThinkingFilterTests
{
    [Theory]
    [InlineData("messages.1.content.0: Invalid `signature` in `thinking` block", true)]
    [InlineData("Invalid SIGNATURE", true)]
    [InlineData("messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`", true)]
    [InlineData("Expected something else", false)]
    [InlineData("thinking blocks in the latest assistant message cannot be modified", true)]
    [InlineData("this value cannot be modified", false)]
    [InlineData("messages.3: all messages must have non-empty content except for the optional final assistant message", true)]
    [InlineData("text content blocks must contain empty content? no: empty content", true)]
    [InlineData("max_tokens: must be at most 64000", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsSignatureError_Message_MatchesTheSpecKeywords(string? message, bool expected) =>
        Assert.Equal(expected, AnthropicThinkingFilter.IsSignatureError(message));

    [Theory]
    [InlineData("Invalid `signature` in `thinking` block preceding `tool_use`", true)]
    [InlineData("unexpected tool_result block", true)]
    [InlineData("bad function call signature", true)]
    [InlineData("functionCall part is missing a thought_signature", true)]
    [InlineData("Invalid `signature` in `thinking` block", false)]
    [InlineData(null, false)]
    public void MentionsTools_Message_DetectsToolWording(string? message, bool expected) =>
        Assert.Equal(expected, AnthropicThinkingFilter.MentionsTools(message));

    [Fact]
    public void FilterThinkingBlocksForRetry_SecondTurn_ThinkingBecomesTextAndOtherFieldsKeepTheirBytes()
    {
        var json = SecondTurn();
        var body = Utf8(json);

        var result = AnthropicThinkingFilter.FilterThinkingBlocksForRetry(body);

        var root = Valid(result);
        Assert.False(root.TryGetProperty("thinking", out _));
        var assistant = root.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal(2, assistant.GetArrayLength());
        Assert.Equal("text", assistant[0].GetProperty("type").GetString());
        Assert.Equal("The user said hi.\nGreet back.", assistant[0].GetProperty("text").GetString());
        Assert.Equal("Hello!", assistant[1].GetProperty("text").GetString());
        // Everything before messages and the system/metadata after it are the original bytes.
        var text = Text(result);
        var systemStart = json.IndexOf(",\"system\":", StringComparison.Ordinal);
        var thinkingStart = json.LastIndexOf(",\"thinking\":", StringComparison.Ordinal);
        Assert.StartsWith(json[..json.IndexOf('[', StringComparison.Ordinal)], text, StringComparison.Ordinal);
        Assert.Contains(json[systemStart..thinkingStart], text, StringComparison.Ordinal);
        Assert.EndsWith(",\"stream\":true}", text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Bodies => new()
    {
        // redacted dropped, assistant emptied → placeholder; top-level thinking removed (first property)
        {
            """{"thinking":{"type":"enabled"},"model":"m","messages":[{"role":"assistant","content":[{"type":"redacted_thinking","data":"x"}]}]}""",
            """{"model":"m","messages":[{"role":"assistant","content":[{"type":"text","text":"(assistant content removed)"}]}]}"""
        },
        // an empty user content gets the generic placeholder; empty text blocks dropped
        {
            """{"model":"m","messages":[{"role":"user","content":[]},{"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"x"}]}]}""",
            """{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"(content removed)"}]},{"role":"user","content":[{"type":"text","text":"x"}]}]}"""
        },
        // adaptive thinking last; clear_thinking strategies go with it, other edits stay
        {
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"},{"type":"clear_tool_uses"}]},"thinking":{"type":"adaptive"}}""",
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"context_management":{"edits":[{"type":"clear_tool_uses"}]}}"""
        },
        // only a clear_thinking strategy: edits removed
        {
            """{"model":"m","thinking":{"type":"adaptive"},"context_management":{"edits":[{"type":"clear_thinking_20251015"}]},"messages":[]}""",
            """{"model":"m","context_management":{},"messages":[]}"""
        },
        // tool blocks are kept by the thinking filter; string content untouched; nested "thinking" keys ignored
        {
            """{"model":"m", "messages" : [{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"thinking":1}}]}]}""",
            """{"model":"m", "messages" : [{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"thinking":1}}]}]}"""
        },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void FilterThinkingBlocksForRetry_Body_Expected(string json, string expected) =>
        Assert.Equal(expected, Text(AnthropicThinkingFilter.FilterThinkingBlocksForRetry(Utf8(json))));

    [Fact]
    public void FilterSignatureSensitiveBlocksForRetry_ToolBlocks_BecomeDescriptiveText()
    {
        var json = """
            {"model":"m","messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"s"},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[{"type":"text","text":"no"}]}]}],"tools":[{"name":"Bash"}]}
            """;

        var result = Text(AnthropicThinkingFilter.FilterSignatureSensitiveBlocksForRetry(Utf8(json)));

        Assert.Equal("""
            {"model":"m","messages":[{"role":"assistant","content":[{"type":"text","text":"plan"},{"type":"text","text":"(tool_use) name=Bash id=toolu_1 input={\"command\":\"ls\"}"}]},{"role":"user","content":[{"type":"text","text":"(tool_result) tool_use_id=toolu_1 is_error=true\n[{\"type\":\"text\",\"text\":\"no\"}]"}]}],"tools":[{"name":"Bash"}]}
            """, result);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"}]}],"metadata":{"user_id":"x"}}""")]
    public void FilterThinkingBlocksForRetry_NothingToFilter_IdenticalCopy(string json) =>
        Assert.Equal(json, Text(AnthropicThinkingFilter.FilterThinkingBlocksForRetry(Utf8(json))));

    [Fact]
    public void FilterThinkingBlocksForRetry_ResultParses()
    {
        var result = AnthropicThinkingFilter.FilterSignatureSensitiveBlocksForRetry(Utf8(FirstTurn()));
        Assert.Equal(JsonValueKind.Object, Valid(result).ValueKind);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"\ud800","signature":"s"}]}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"\udfff","content":[{"type":"redacted_thinking","data":"d"}]}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"\ud800","name":"t","input":{}}]}]}""")]
    public void Filter_StringItCannotDecode_LeavesTheBodyAsItIs(string json)
    {
        var body = Utf8(json);

        Assert.Equal(body, AnthropicThinkingFilter.FilterSignatureSensitiveBlocksForRetry(body));
    }
}

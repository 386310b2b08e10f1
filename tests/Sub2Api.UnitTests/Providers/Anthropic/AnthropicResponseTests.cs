using System.Text;
using System.Text.Json;
using Sub2Api.Billing;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicResponseTests
{
    private const string Message = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"model: \"x\"","model":"nested"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":300,"cache_read_input_tokens":40,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":200},"output_tokens":56,"service_tier":"standard"}}
        """;

    [Fact]
    public void ReadUsage_FullMessage_ReadsAllFieldsIncludingCacheSplit() =>
        Assert.Equal(new TokenUsage(12, 56, 300, 40, 100, 200), AnthropicResponse.ReadUsage(Encoding.UTF8.GetBytes(Message)));

    [Theory]
    [InlineData("""{"usage":{"output_tokens":3,"input_tokens":4}}""", 4, 3, 0, 0)]
    [InlineData("""{"usage":{"input_tokens":4.0,"output_tokens":null,"cache_read_input_tokens":"9"}}""", 4, 0, 0, 0)]
    [InlineData("""{"usage":{"input_tokens":1,"cache_creation_input_tokens":2,"cache_read_input_tokens":3,"output_tokens":4,"server_tool_use":{"web_search_requests":1}}}""", 1, 4, 2, 3)]
    [InlineData("""{"id":"x","content":[]}""", 0, 0, 0, 0)]
    [InlineData("""{"usage":null}""", 0, 0, 0, 0)]
    [InlineData("""{"usage":{"input_tokens":5""", 0, 0, 0, 0)]
    [InlineData("""<html>502 Bad Gateway</html>""", 0, 0, 0, 0)]
    [InlineData("""[{"usage":{"input_tokens":5}}]""", 0, 0, 0, 0)]
    [InlineData("", 0, 0, 0, 0)]
    public void ReadUsage_Variants_ReadOrZeroNeverThrow(string json, long input, long output, long creation, long read) =>
        Assert.Equal(new TokenUsage(input, output, creation, read), AnthropicResponse.ReadUsage(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void MapModelBack_TopLevelModelMatches_ReplacesOnlyThatValue()
    {
        var mapped = AnthropicResponse.MapModelBack(Encoding.UTF8.GetBytes(Message), "claude-sonnet-4-5-20250929", "claude-3-5-sonnet-20241022");

        Assert.NotNull(mapped);
        var text = Encoding.UTF8.GetString(mapped);
        Assert.Equal(Message.Replace("\"claude-sonnet-4-5-20250929\"", "\"claude-3-5-sonnet-20241022\"", StringComparison.Ordinal), text);
        using var document = JsonDocument.Parse(text);
        Assert.Equal("claude-3-5-sonnet-20241022", document.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void MapModelBack_EscapedUpstreamValueAndQuotedTarget_StaysValidJson()
    {
        var json = """{"model":"claude\u002dx","usage":{}}"""u8;
        var mapped = AnthropicResponse.MapModelBack(json, "claude-x", "my \"model\"");

        Assert.NotNull(mapped);
        Assert.Equal("""{"model":"my \"model\"","usage":{}}""", Encoding.UTF8.GetString(mapped));
    }

    [Theory]
    [InlineData("""{"model":"other","usage":{}}""")]
    [InlineData("""{"content":[{"model":"from"}],"usage":{}}""")]
    [InlineData("""{"model":null}""")]
    [InlineData("""{"model":["from"]}""")]
    [InlineData("""{"model":"fro""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public void MapModelBack_NoTopLevelMatch_ReturnsNull(string json) =>
        Assert.Null(AnthropicResponse.MapModelBack(Encoding.UTF8.GetBytes(json), "from", "to"));
}

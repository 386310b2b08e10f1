using Sub2Api.Billing;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class OpenAIUsageJsonTests
{
    [Fact]
    public void ResponsesJson_ReadUsage_SubtractsCachedFromInput()
    {
        var usage = ResponsesJson.ReadUsage("""{"id":"resp_1","output":[{"type":"message","content":[{"type":"output_text","text":"{\"usage\":1}"}]}],"usage":{"input_tokens":500,"input_tokens_details":{"cached_tokens":128},"output_tokens":90,"output_tokens_details":{"reasoning_tokens":60},"total_tokens":590}}"""u8);

        Assert.Equal(new TokenUsage(372, 90, 0, 128), usage);
    }

    [Theory]
    [InlineData("""{"id":"resp_1"}""")]
    [InlineData("""{"usage":null}""")]
    [InlineData("not json")]
    [InlineData("""{"usage":{"input_tokens":""")]
    public void ResponsesJson_ReadUsage_NoUsage_IsNull(string json) =>
        Assert.Null(ResponsesJson.ReadUsage(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void ChatJson_ReadUsage_SubtractsCachedFromPrompt()
    {
        var usage = ChatJson.ReadUsage("""{"id":"chatcmpl-1","object":"chat.completion","choices":[{"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":2000,"completion_tokens":300,"total_tokens":2300,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":256}}}"""u8);

        Assert.Equal(new TokenUsage(976, 300, 0, 1024), usage);
    }

    [Fact]
    public void ChatJson_ReadUsage_WithoutDetails_AllInputIsInput() =>
        Assert.Equal(new TokenUsage(10, 2, 0, 0), ChatJson.ReadUsage("""{"usage":{"prompt_tokens":10,"completion_tokens":2}}"""u8));

    [Fact]
    public void ChatJson_ReadUsage_NoUsage_IsNull() =>
        Assert.Null(ChatJson.ReadUsage("""{"choices":[],"usage":null}"""u8));
}

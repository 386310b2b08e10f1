using System.Text;
using System.Text.Json;
using Sub2Api.Providers.OpenAI.Conversions;

namespace Sub2Api.UnitTests.Providers.OpenAI.Conversions;

public sealed class ResponsesToChatResponseTests
{
    private static JsonElement Convert(string responseObject, string clientModel = "client-model") =>
        JsonDocument.Parse(ResponsesToChatResponse.Convert(Encoding.UTF8.GetBytes(responseObject), clientModel)).RootElement.Clone();

    private static JsonElement Choice(JsonElement completion) => Assert.Single(completion.GetProperty("choices").EnumerateArray());

    private static JsonElement Message(JsonElement completion) => Choice(completion).GetProperty("message");

    /// <summary>A Codex final response: reasoning with a two-part summary, then a message of two text parts.</summary>
    private const string TextResponse = """
        {"id":"resp_68f0a1b2c3","object":"response","created_at":1765090000,"status":"completed","model":"gpt-5-codex",
         "output":[
           {"id":"rs_01","type":"reasoning","encrypted_content":"gAAAA-secret","summary":[
             {"type":"summary_text","text":"**Plan**"},{"type":"summary_text","text":"Say hello."}]},
           {"id":"msg_01","type":"message","status":"completed","role":"assistant","content":[
             {"type":"output_text","annotations":[],"text":"Hello, \"world\" "},
             {"type":"output_text","annotations":[],"text":"你好!"}]}],
         "usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":90,
                  "output_tokens_details":{"reasoning_tokens":64},"total_tokens":1290}}
        """;

    [Fact]
    public void Convert_TextResponse_ChatCompletionEnvelope()
    {
        var completion = Convert(TextResponse);

        Assert.Equal("chatcmpl-68f0a1b2c3", completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal(1765090000, completion.GetProperty("created").GetInt64());
        Assert.Equal("client-model", completion.GetProperty("model").GetString());
        var choice = Choice(completion);
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void Convert_TextResponse_MessageTextConcatenated_ReasoningSummaryAsReasoningContent()
    {
        var message = Message(Convert(TextResponse));

        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("Hello, \"world\" 你好!", message.GetProperty("content").GetString());
        Assert.Equal("**Plan**\n\nSay hello.", message.GetProperty("reasoning_content").GetString());
        Assert.False(message.TryGetProperty("tool_calls", out _));
        Assert.DoesNotContain("gAAAA", message.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_Usage_InChatTerms()
    {
        var usage = Convert(TextResponse).GetProperty("usage");

        Assert.Equal(1200, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(90, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(1290, usage.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1024, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64());
        Assert.Equal(64, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt64());
    }

    [Fact]
    public void Convert_UsageWithoutTotal_TotalIsTheSum()
    {
        var usage = Convert("""{"id":"resp_1","status":"completed","output":[],"usage":{"input_tokens":7,"output_tokens":3}}""").GetProperty("usage");

        Assert.Equal(10, usage.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64());
    }

    [Fact]
    public void Convert_OnlyFunctionCalls_ContentNullToolCallsFinishToolCalls()
    {
        var completion = Convert("""
            {"id":"resp_t","created_at":5,"status":"completed","output":[
              {"id":"fc_a","type":"function_call","status":"completed","call_id":"call_paris","name":"weather","arguments":"{\"city\":\"Paris\"}"},
              {"id":"fc_b","type":"function_call","status":"completed","call_id":"call_rome","name":"weather","arguments":"{\"city\":\"Rome\"}"}]}
            """);

        var message = Message(completion);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var calls = message.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("call_paris", calls[0].GetProperty("id").GetString());
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_rome", calls[1].GetProperty("id").GetString());
        Assert.Equal("tool_calls", Choice(completion).GetProperty("finish_reason").GetString());
        Assert.False(completion.TryGetProperty("usage", out _));
    }

    [Fact]
    public void Convert_TextAndFunctionCall_BothKept()
    {
        var message = Message(Convert("""
            {"id":"resp_t","status":"completed","output":[
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me check."}]},
              {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"}]}
            """));

        Assert.Equal("Let me check.", message.GetProperty("content").GetString());
        Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
    }

    [Theory]
    [InlineData("max_output_tokens", "length")]
    [InlineData("content_filter", "content_filter")]
    public void Convert_Incomplete_FinishReasonFromTheReason(string reason, string expected)
    {
        var completion = Convert($$"""
            {"id":"resp_i","status":"incomplete","incomplete_details":{"reason":"{{reason}}"},"output":[
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"cut"}]}]}
            """);

        Assert.Equal(expected, Choice(completion).GetProperty("finish_reason").GetString());
        Assert.Equal("cut", Message(completion).GetProperty("content").GetString());
    }

    [Fact]
    public void Convert_Refusal_InRefusalField()
    {
        var message = Message(Convert("""
            {"id":"resp_r","status":"completed","output":[{"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"I can't help with that."}]}]}
            """));

        Assert.Equal("I can't help with that.", message.GetProperty("refusal").GetString());
        Assert.Equal("", message.GetProperty("content").GetString());
    }

    [Fact]
    public void Convert_EmptyOrSparseResponse_ValidCompletionWithEmptyContent()
    {
        var completion = Convert("{}");

        Assert.StartsWith("chatcmpl-", completion.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(completion.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.Equal("", Message(completion).GetProperty("content").GetString());
        Assert.Equal("stop", Choice(completion).GetProperty("finish_reason").GetString());
        Assert.False(Message(completion).TryGetProperty("reasoning_content", out _));
    }

    [Fact]
    public void Convert_IdWithoutRespPrefix_KeptWhole()
    {
        Assert.Equal("chatcmpl-abc123", Convert("""{"id":"abc123","output":[]}""").GetProperty("id").GetString());
    }
}

using System.Text;
using System.Text.Json;
using Sub2Api.Providers.OpenAI.Conversions;

namespace Sub2Api.UnitTests.Providers.OpenAI.Conversions;

public sealed class ChatToResponsesRequestTests
{
    private static JsonElement Convert(string chatBody)
    {
        var body = ChatToResponsesRequest.Convert(Encoding.UTF8.GetBytes(chatBody), out var error);
        Assert.Null(error);
        Assert.NotNull(body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Reject(string chatBody)
    {
        var body = ChatToResponsesRequest.Convert(Encoding.UTF8.GetBytes(chatBody), out var error);
        Assert.Null(body);
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error;
    }

    /// <summary>Adds a model and one user message to an object literal of other fields.</summary>
    private static string WithUserMessage(string fields) =>
        fields[..^1] + ""","model":"m","messages":[{"role":"user","content":"hi"}]}""";

    private static JsonElement Input(JsonElement request, int index) => request.GetProperty("input")[index];

    [Fact]
    public void Convert_SystemDeveloperAndUserStrings_BecomeRoleItemsWithInputText()
    {
        var request = Convert("""
            {"model":"gpt-5","messages":[
              {"role":"system","content":"be brief"},
              {"role":"developer","content":"use tools"},
              {"role":"user","content":"héllo \"there\""}]}
            """);

        Assert.Equal("gpt-5", request.GetProperty("model").GetString());
        Assert.Equal(3, request.GetProperty("input").GetArrayLength());
        string[] roles = ["system", "developer", "user"];
        string[] texts = ["be brief", "use tools", "héllo \"there\""];
        for (var i = 0; i < 3; i++)
        {
            var item = Input(request, i);
            Assert.Equal("message", item.GetProperty("type").GetString());
            Assert.Equal(roles[i], item.GetProperty("role").GetString());
            var part = Assert.Single(item.GetProperty("content").EnumerateArray());
            Assert.Equal("input_text", part.GetProperty("type").GetString());
            Assert.Equal(texts[i], part.GetProperty("text").GetString());
        }
    }

    [Fact]
    public void Convert_UserParts_TextImageUrlStringImageUrlObjectAndFile()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"what is this?"},
              {"type":"image_url","image_url":"https://x/a.png"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"high"}},
              {"type":"file","file":{"file_id":"file-1","filename":"a.pdf"}}]}]}
            """);

        var parts = Input(request, 0).GetProperty("content");
        Assert.Equal(4, parts.GetArrayLength());
        Assert.Equal("input_text", parts[0].GetProperty("type").GetString());
        Assert.Equal("what is this?", parts[0].GetProperty("text").GetString());
        Assert.Equal("input_image", parts[1].GetProperty("type").GetString());
        Assert.Equal("https://x/a.png", parts[1].GetProperty("image_url").GetString());
        Assert.False(parts[1].TryGetProperty("detail", out _));
        Assert.Equal("data:image/png;base64,AAAA", parts[2].GetProperty("image_url").GetString());
        Assert.Equal("high", parts[2].GetProperty("detail").GetString());
        Assert.Equal("input_file", parts[3].GetProperty("type").GetString());
        Assert.Equal("file-1", parts[3].GetProperty("file_id").GetString());
        Assert.Equal("a.pdf", parts[3].GetProperty("filename").GetString());
    }

    [Fact]
    public void Convert_AssistantTextAndToolCalls_MessageThenOneFunctionCallPerCall_ThenToolOutputs()
    {
        var request = Convert("""
            {"model":"m","messages":[
              {"role":"user","content":"weather in Paris and Rome?"},
              {"role":"assistant","content":"Checking.","tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"weather","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"},
              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"rain"},{"type":"text","text":"y"}]}]}
            """);

        var input = request.GetProperty("input");
        Assert.Equal(6, input.GetArrayLength());
        var assistant = input[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        var text = Assert.Single(assistant.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", text.GetProperty("type").GetString());
        Assert.Equal("Checking.", text.GetProperty("text").GetString());

        Assert.Equal("function_call", input[2].GetProperty("type").GetString());
        Assert.Equal("call_1", input[2].GetProperty("call_id").GetString());
        Assert.Equal("weather", input[2].GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", input[2].GetProperty("arguments").GetString());
        Assert.Equal("call_2", input[3].GetProperty("call_id").GetString());
        Assert.Equal("{}", input[3].GetProperty("arguments").GetString());

        Assert.Equal("function_call_output", input[4].GetProperty("type").GetString());
        Assert.Equal("call_1", input[4].GetProperty("call_id").GetString());
        Assert.Equal("sunny", input[4].GetProperty("output").GetString());
        Assert.Equal("call_2", input[5].GetProperty("call_id").GetString());
        Assert.Equal("rainy", input[5].GetProperty("output").GetString());
    }

    [Fact]
    public void Convert_AssistantWithOnlyToolCalls_NoEmptyMessageItem()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":"hi"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]}
            """);

        var input = request.GetProperty("input");
        Assert.Equal(2, input.GetArrayLength());
        Assert.Equal("function_call", input[1].GetProperty("type").GetString());
    }

    [Fact]
    public void Convert_AssistantContentParts_TextAndRefusal()
    {
        var request = Convert("""
            {"messages":[{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"refusal","refusal":"no"}]}]}
            """);

        var parts = Input(request, 0).GetProperty("content");
        Assert.Equal("output_text", parts[0].GetProperty("type").GetString());
        Assert.Equal("refusal", parts[1].GetProperty("type").GetString());
        Assert.Equal("no", parts[1].GetProperty("refusal").GetString());
        Assert.False(request.TryGetProperty("model", out _));
    }

    [Fact]
    public void Convert_LegacyFunctionCallAndResult_ShareAGeneratedCallId()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":"hi"},
              {"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":1}"}},
              {"role":"function","name":"lookup","content":"42"}]}
            """);

        var call = Input(request, 1);
        var output = Input(request, 2);
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("lookup", call.GetProperty("name").GetString());
        Assert.Equal("function_call_output", output.GetProperty("type").GetString());
        Assert.Equal(call.GetProperty("call_id").GetString(), output.GetProperty("call_id").GetString());
        Assert.Equal("42", output.GetProperty("output").GetString());
    }

    [Theory]
    [InlineData("""{"max_tokens":100}""", 100)]
    [InlineData("""{"max_completion_tokens":200}""", 200)]
    [InlineData("""{"max_tokens":100,"max_completion_tokens":300}""", 300)]
    public void Convert_MaxTokens_BecomeMaxOutputTokens(string limits, long expected)
    {
        var request = Convert(WithUserMessage(limits));

        Assert.Equal(expected, request.GetProperty("max_output_tokens").GetInt64());
        Assert.False(request.TryGetProperty("max_tokens", out _));
        Assert.False(request.TryGetProperty("max_completion_tokens", out _));
    }

    [Fact]
    public void Convert_ReasoningEffort_BecomesReasoningWithAutoSummary()
    {
        var request = Convert("""{"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]}""");

        var reasoning = request.GetProperty("reasoning");
        Assert.Equal("high", reasoning.GetProperty("effort").GetString());
        Assert.Equal("auto", reasoning.GetProperty("summary").GetString());
        Assert.False(request.TryGetProperty("reasoning_effort", out _));
    }

    [Fact]
    public void Convert_ToolsAndLegacyFunctions_BecomeFlatFunctionTools()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}],
             "functions":[{"name":"legacy","parameters":{"type":"object"}}]}
            """);

        var tools = request.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.Equal("function", tools[0].GetProperty("type").GetString());
        Assert.Equal("weather", tools[0].GetProperty("name").GetString());
        Assert.Equal("d", tools[0].GetProperty("description").GetString());
        Assert.Equal("string", tools[0].GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.True(tools[0].GetProperty("strict").GetBoolean());
        Assert.False(tools[0].TryGetProperty("function", out _));
        Assert.Equal("legacy", tools[1].GetProperty("name").GetString());
        Assert.False(tools[1].TryGetProperty("strict", out _));
        Assert.False(request.TryGetProperty("functions", out _));
    }

    [Theory]
    [InlineData("\"auto\"", "auto")]
    [InlineData("\"none\"", "none")]
    [InlineData("\"required\"", "required")]
    public void Convert_ToolChoiceModes_PassThrough(string choice, string expected)
    {
        var request = Convert($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{{choice}}}""");

        Assert.Equal(expected, request.GetProperty("tool_choice").GetString());
    }

    [Theory]
    [InlineData("""{"tool_choice":{"type":"function","function":{"name":"weather"}}}""")]
    [InlineData("""{"function_call":{"name":"weather"}}""")]
    public void Convert_NamedToolChoice_BecomesFlatFunctionChoice(string choice)
    {
        var request = Convert(WithUserMessage(choice));

        var toolChoice = request.GetProperty("tool_choice");
        Assert.Equal("function", toolChoice.GetProperty("type").GetString());
        Assert.Equal("weather", toolChoice.GetProperty("name").GetString());
        Assert.False(toolChoice.TryGetProperty("function", out _));
    }

    [Fact]
    public void Convert_SamplingAndBookkeepingFields_CarriedOver_StreamOptionsAndUnknownDropped()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"top_p":0.9,"user":"u-1",
             "parallel_tool_calls":false,"metadata":{"k":"v"},"stream":true,"stream_options":{"include_usage":true},
             "stop":["x"],"seed":7,"frequency_penalty":0.5,"logprobs":true,"n":1,"some_future_field":{"a":1},"top_k":null}
            """);

        Assert.Equal(0.2, request.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, request.GetProperty("top_p").GetDouble());
        Assert.Equal("u-1", request.GetProperty("user").GetString());
        Assert.False(request.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("v", request.GetProperty("metadata").GetProperty("k").GetString());
        Assert.True(request.GetProperty("stream").GetBoolean());
        string[] dropped = ["stream_options", "stop", "seed", "frequency_penalty", "logprobs", "n", "some_future_field", "top_k", "messages"];
        foreach (var name in dropped)
        {
            Assert.False(request.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public void Convert_NullOptionalFields_TreatedAsAbsent()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":null,"tools":null,"max_tokens":null,"reasoning_effort":null}
            """);

        Assert.Equal(["model", "input"], request.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Convert_ResponseFormatJsonSchema_BecomesTextFormat()
    {
        var request = Convert("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],"verbosity":"low",
             "response_format":{"type":"json_schema","json_schema":{"name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}}}
            """);

        var text = request.GetProperty("text");
        var format = text.GetProperty("format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("person", format.GetProperty("name").GetString());
        Assert.Equal("object", format.GetProperty("schema").GetProperty("type").GetString());
        Assert.True(format.GetProperty("strict").GetBoolean());
        Assert.Equal("low", text.GetProperty("verbosity").GetString());
        Assert.False(request.TryGetProperty("response_format", out _));
    }

    [Fact]
    public void Convert_ResponseFormatJsonObject_BecomesTextFormat()
    {
        var request = Convert("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""");

        Assert.Equal("json_object", request.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"robot","content":"hi"}]}""", "robot")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":42}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}""", "input_audio")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url"}]}]}""", "messages[0].content[0].image_url")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"detail":"low"}}]}]}""", "url")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":["hi"]}]}""", "messages[0].content[0]")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"x"}]}""", "tool_call_id")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f"}}]}]}""", "tool_calls[0].id")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{}}]}]}""", "name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":-1}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":"10"}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"n":2}""", "n must be 1")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search"}]}""", "web_search")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function"}]}""", "tools[0].function")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}""", "sometimes")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function"}}""", "tool_choice")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"xml"}}""", "xml")]
    [InlineData("""{"model":7,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    public void Convert_UnusableRequest_NullWithMessageNamingTheProblem(string body, string expectedInMessage)
    {
        var error = Reject(body);

        Assert.Contains(expectedInMessage, error, StringComparison.Ordinal);
    }
}

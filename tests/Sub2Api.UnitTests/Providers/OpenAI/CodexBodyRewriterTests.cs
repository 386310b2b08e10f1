using System.Text;
using System.Text.Json;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class CodexBodyRewriterTests
{
    private static readonly CodexRewritePlan Plan = new("gpt-5.1-codex", null);

    private static JsonElement Rewrite(string body, CodexRewritePlan? plan = null) => Parse(RewriteText(body, plan));

    private static string RewriteText(string body, CodexRewritePlan? plan = null) =>
        Encoding.UTF8.GetString(CodexBodyRewriter.Rewrite(Encoding.UTF8.GetBytes(body), plan ?? Plan));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        return document.RootElement.Clone();
    }

    [Fact]
    public void Rewrite_SetsStoreFalseAndStreamTrue_WhetherAbsentOrWrong()
    {
        var absent = Rewrite("""{"model":"gpt-5.1-codex","instructions":"i","input":[]}""");
        var wrong = Rewrite("""{"model":"gpt-5.1-codex","instructions":"i","input":[],"store":true,"stream":false}""");

        foreach (var body in new[] { absent, wrong })
        {
            Assert.False(body.GetProperty("store").GetBoolean());
            Assert.True(body.GetProperty("stream").GetBoolean());
        }
    }

    [Fact]
    public void Rewrite_DropsEveryRefusedParameter()
    {
        var body = Rewrite("""
            {"max_output_tokens":100,"model":"gpt-5.1-codex","max_completion_tokens":5,"max_tokens":5,"temperature":0.2,
             "top_p":1,"frequency_penalty":0,"presence_penalty":0,"logprobs":true,"top_logprobs":2,"user":"u",
             "safety_identifier":"s","prompt_cache_retention":"24h","instructions":"i","input":[],"tool_choice":"auto"}
            """);

        foreach (var name in CodexBodyRewriter.Refused)
        {
            Assert.False(body.TryGetProperty(name, out _), name);
        }
        Assert.Equal("auto", body.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public void Rewrite_AllPropertiesButModelRefused_StaysValidJson()
    {
        var body = Rewrite("""{"temperature":1,"model":"gpt-5","top_p":1}""");

        Assert.Equal("gpt-5.1-codex", body.GetProperty("model").GetString());
        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.Equal(CodexBodyRewriter.DefaultInstructions, body.GetProperty("instructions").GetString());
    }

    [Fact]
    public void Rewrite_LastPropertyRefused_AppendedPropertiesStillFollowACommaCorrectly()
    {
        var text = RewriteText("""{"model":"gpt-5.1-codex","input":[],"temperature":1,"top_p":0.5}""");

        var body = Parse(text);
        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.False(body.GetProperty("store").GetBoolean());
    }

    [Fact]
    public void Rewrite_ReplacesModelWithThePlannedOne()
    {
        Assert.Equal("gpt-5.1-codex", Rewrite("""{"model":"gpt-5-codex","input":[]}""").GetProperty("model").GetString());
        Assert.Equal("gpt-5.1-codex", Rewrite("""{"input":[]}""").GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("""{"model":"m","input":[]}""")]
    [InlineData("""{"model":"m","input":[],"instructions":""}""")]
    [InlineData("""{"model":"m","input":[],"instructions":null}""")]
    public void Rewrite_MissingOrEmptyInstructions_GetTheNeutralDefault(string json) =>
        Assert.Equal(CodexBodyRewriter.DefaultInstructions, Rewrite(json).GetProperty("instructions").GetString());

    [Fact]
    public void Rewrite_ClientInstructions_KeepTheirExactBytes()
    {
        const string instructions = "\"You are Codex.\\nUse \\u0022tools\\u0022 \u00e9\"";
        var text = RewriteText($$"""{"model":"gpt-5.1-codex","instructions":{{instructions}},"input":[]}""");

        Assert.Contains("\"instructions\":" + instructions + ",", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_SuffixEffort_GoesIntoReasoningWhenAbsent()
    {
        var plan = new CodexRewritePlan("gpt-5.1-codex", "high");

        Assert.Equal("high", Rewrite("""{"model":"m","input":[]}""", plan).GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.Equal("high", Rewrite("""{"model":"m","input":[],"reasoning":null}""", plan).GetProperty("reasoning").GetProperty("effort").GetString());
        var withSummary = Rewrite("""{"model":"m","input":[],"reasoning":{"summary":"auto"}}""", plan).GetProperty("reasoning");
        Assert.Equal("high", withSummary.GetProperty("effort").GetString());
        Assert.Equal("auto", withSummary.GetProperty("summary").GetString());
        Assert.Equal("high", Rewrite("""{"model":"m","input":[],"reasoning":{"effort":null}}""", plan).GetProperty("reasoning").GetProperty("effort").GetString());
    }

    [Fact]
    public void Rewrite_ClientEffort_WinsOverTheSuffix()
    {
        var plan = new CodexRewritePlan("gpt-5.1-codex", "high");

        Assert.Equal("low", Rewrite("""{"model":"m","input":[],"reasoning":{"effort":"low"}}""", plan).GetProperty("reasoning").GetProperty("effort").GetString());
    }

    [Fact]
    public void Rewrite_MinimalEffort_IsSentAsNone()
    {
        Assert.Equal("none", Rewrite("""{"model":"m","input":[],"reasoning":{"effort":"minimal","summary":"auto"}}""").GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.Equal("none", Rewrite("""{"model":"m","input":[]}""", new CodexRewritePlan("gpt-5.1", "minimal")).GetProperty("reasoning").GetProperty("effort").GetString());
    }

    [Fact]
    public void Rewrite_NoReasoning_AddsNoReasoningAndNoInclude()
    {
        var body = Rewrite("""{"model":"m","input":[]}""");

        Assert.False(body.TryGetProperty("reasoning", out _));
        Assert.False(body.TryGetProperty("include", out _));
    }

    [Theory]
    [InlineData("""{"model":"m","input":[],"reasoning":{"summary":"auto"}}""", new[] { "reasoning.encrypted_content" })]
    [InlineData("""{"model":"m","input":[],"reasoning":{},"include":null}""", new[] { "reasoning.encrypted_content" })]
    [InlineData("""{"model":"m","input":[],"reasoning":{},"include":[]}""", new[] { "reasoning.encrypted_content" })]
    [InlineData("""{"model":"m","input":[],"reasoning":{},"include":["message.output_text.logprobs"]}""", new[] { "message.output_text.logprobs", "reasoning.encrypted_content" })]
    [InlineData("""{"model":"m","input":[],"reasoning":{},"include":["reasoning.encrypted_content"]}""", new[] { "reasoning.encrypted_content" })]
    public void Rewrite_ReasoningUsed_IncludesEncryptedReasoningOnce(string json, string[] expected)
    {
        var include = Rewrite(json).GetProperty("include").EnumerateArray().Select(e => e.GetString()).ToArray();

        Assert.Equal(expected, include);
    }

    [Fact]
    public void Rewrite_StringInput_BecomesOneUserMessageWithTheSameText()
    {
        var input = Rewrite("""{"model":"m","input":"hello \"world\" \u00e9"}""").GetProperty("input");

        var message = Assert.Single(input.EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("user", message.GetProperty("role").GetString());
        var part = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("input_text", part.GetProperty("type").GetString());
        Assert.Equal("hello \"world\" é", part.GetProperty("text").GetString());
    }

    [Fact]
    public void Rewrite_InputItems_LoseNamespace_KeepIdsAndItemReferences()
    {
        var text = RewriteText("""
            {"model":"gpt-5.1-codex","instructions":"i","input":[
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"spawn","namespace":"multi_agent","arguments":"{}"},
              {"namespace":"multi_agent","type":"function_call_output","call_id":"call_1","output":"done"},
              {"type":"item_reference","id":"rs_9"},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"the word \"namespace\" in text stays"}]}
            ]}
            """);

        var items = Parse(text).GetProperty("input").EnumerateArray().ToArray();
        Assert.All(items, item => Assert.False(item.TryGetProperty("namespace", out _)));
        Assert.Equal("fc_1", items[0].GetProperty("id").GetString());
        Assert.Equal("call_1", items[0].GetProperty("call_id").GetString());
        Assert.Equal("spawn", items[0].GetProperty("name").GetString());
        Assert.Equal("call_1", items[1].GetProperty("call_id").GetString());
        Assert.Equal("item_reference", items[2].GetProperty("type").GetString());
        Assert.Equal("rs_9", items[2].GetProperty("id").GetString());
        Assert.Contains("the word \\\"namespace\\\" in text stays", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"namespace":"a"}""", """{}""")]
    [InlineData("""{"namespace":"a","type":"x"}""", """{"type":"x"}""")]
    [InlineData("""{"type":"x", "namespace":{"n":[1]} ,"id":"i"}""", """{"type":"x" ,"id":"i"}""")]
    [InlineData("""{"type":"x","namespace":null}""", """{"type":"x"}""")]
    [InlineData("""{"type":"x","meta":{"namespace":"nested stays"}}""", """{"type":"x","meta":{"namespace":"nested stays"}}""")]
    public void Rewrite_NamespaceRemoval_ExactBytes(string item, string expected)
    {
        var text = RewriteText($$"""{"model":"gpt-5.1-codex","instructions":"i","input":[{{item}}],"store":false,"stream":true}""");

        Assert.Equal($$"""{"model":"gpt-5.1-codex","instructions":"i","input":[{{expected}}],"store":false,"stream":true}""", text);
    }

    [Fact]
    public void Rewrite_UntouchedValues_KeepTheirExactBytes()
    {
        const string tools = """[{"type":"function","name":"exec_command","parameters":{"type":"object","properties":{"cmd":{"type":"string"}}},"strict":false}]""";
        const string input = """[{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAA+/=="},{"type":"message","role":"user","content":[{"type":"input_text","text":"1.50e3 \u00e9"}]}]""";
        const string metadata = """{"turn":  1.0}""";
        var text = RewriteText($$"""{"model":"gpt-5.1-codex","instructions":"i","input":{{input}},"tools":{{tools}},"client_metadata":{{metadata}},"store":false,"stream":true,"reasoning":{"summary":"auto"},"include":["reasoning.encrypted_content"],"prompt_cache_key":"k"}""");

        Assert.Contains("\"input\":" + input + ",", text, StringComparison.Ordinal);
        Assert.Contains("\"tools\":" + tools + ",", text, StringComparison.Ordinal);
        Assert.Contains("\"client_metadata\":" + metadata + ",", text, StringComparison.Ordinal);
        Assert.Contains("\"reasoning\":{\"summary\":\"auto\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"prompt_cache_key\":\"k\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_Compaction_NoStoreStreamOrInclude_OtherRulesApply()
    {
        var plan = CodexRewritePlan.For("gpt-5-codex-high", compact: true);

        var body = Rewrite("""{"model":"gpt-5-codex","input":[{"type":"function_call","call_id":"c","name":"n","namespace":"x","arguments":"{}"}],"tools":[],"parallel_tool_calls":true,"reasoning":{"summary":"auto"},"temperature":1}""", plan);

        Assert.False(body.TryGetProperty("store", out _));
        Assert.False(body.TryGetProperty("stream", out _));
        Assert.False(body.TryGetProperty("include", out _));
        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.Equal("gpt-5.1-codex", body.GetProperty("model").GetString());
        Assert.Equal("high", body.GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.Equal(CodexBodyRewriter.DefaultInstructions, body.GetProperty("instructions").GetString());
        Assert.False(body.GetProperty("input")[0].TryGetProperty("namespace", out _));
    }

    [Fact]
    public void Rewrite_BodyAlreadyInCodexShape_IsByteForByteTheSame()
    {
        const string body = """{"model":"gpt-5.1-codex","instructions":"i","input":[{"role":"user","content":"x"}],"store":false,"stream":true,"reasoning":{"effort":"high"},"include":["reasoning.encrypted_content"]}""";

        Assert.Equal(body, RewriteText(body));
    }
}

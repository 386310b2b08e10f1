using System.Text.Json;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class CacheControlLimitTests
{
    private const string Cc = "\"cache_control\":{\"type\":\"ephemeral\"}";

    private static string Block(string text, bool cached) =>
        cached ? $"{{\"type\":\"text\",\"text\":\"{text}\",{Cc}}}" : $"{{\"type\":\"text\",\"text\":\"{text}\"}}";

    private static string Body(int systemCached, int messageCached, int toolsCached = 0, int systemPlain = 0)
    {
        var system = Enumerable.Range(0, systemCached).Select(i => Block($"s{i}", true))
            .Concat(Enumerable.Range(0, systemPlain).Select(i => Block($"p{i}", false)));
        var messages = Enumerable.Range(0, messageCached).Select(i => $"{{\"role\":\"user\",\"content\":[{Block($"m{i}", true)}]}}");
        var tools = Enumerable.Range(0, toolsCached).Select(i => $"{{\"name\":\"t{i}\",{Cc}}}");
        return $"{{\"model\":\"m\",\"system\":[{string.Join(',', system)}],\"tools\":[{string.Join(',', tools)}],\"messages\":[{string.Join(',', messages)}]}}";
    }

    /// <summary>Which system/message blocks still carry cache_control, as "s0 s1 m2".</summary>
    private static string Cached(byte[] body)
    {
        var root = Valid(body);
        var kept = root.GetProperty("system").EnumerateArray()
            .Concat(root.GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("content").EnumerateArray()))
            .Where(b => b.TryGetProperty("cache_control", out _))
            .Select(b => b.GetProperty("text").GetString());
        return string.Join(' ', kept);
    }

    [Theory]
    [InlineData(3, 3, 0, "s0 s1 s2 m2")]         // the brief's case: the first two message breakpoints go
    [InlineData(5, 1, 0, "s0 s1 s2 s3")]         // messages first, then system from the back
    [InlineData(6, 0, 0, "s0 s1 s2 s3")]
    [InlineData(2, 2, 1, "s0 s1 m1")]            // a tool breakpoint counts but is never removed
    [InlineData(0, 7, 0, "m3 m4 m5 m6")]
    public void EnforceCacheControlLimit_OverTheLimit_RemovesInOrder(int system, int messages, int tools, string expected)
    {
        var result = AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(Body(system, messages, tools)));

        Assert.NotNull(result);
        Assert.Equal(expected, Cached(result));
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(4, 0, 0)]
    [InlineData(0, 0, 0)]
    public void EnforceCacheControlLimit_AtOrUnderTheLimit_ReturnsNull(int system, int messages, int tools) =>
        Assert.Null(AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(Body(system, messages, tools))));

    [Fact]
    public void EnforceCacheControlLimit_ClaudeCodeTurns_Unchanged()
    {
        Assert.Null(AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(FirstTurn())));
        Assert.Null(AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(SecondTurn())));
    }

    [Theory]
    [InlineData("{\"type\":\"text\",\"text\":\"a\"," + Cc + "}", "{\"type\":\"text\",\"text\":\"a\"}")]               // last
    [InlineData("{" + Cc + ",\"type\":\"text\",\"text\":\"a\"}", "{\"type\":\"text\",\"text\":\"a\"}")]               // first
    [InlineData("{\"type\":\"text\"," + Cc + ",\"text\":\"a\"}", "{\"type\":\"text\",\"text\":\"a\"}")]               // middle
    [InlineData("{" + Cc + "}", "{}")]                                                                               // only
    [InlineData("{ \"type\": \"text\",\n  \"cache_control\" : { \"type\": \"ephemeral\" } ,\n  \"text\": \"a\" }", "{ \"type\": \"text\" ,\n  \"text\": \"a\" }")]
    [InlineData("{\n  \"cache_control\": {\"type\": \"ephemeral\"},\n  \"text\": \"a\"\n}", "{\n  \"text\": \"a\"\n}")]
    public void EnforceCacheControlLimit_PropertyPositions_KeepsCommasValid(string block, string expected)
    {
        var body = $"{{\"model\":\"m\",\"messages\":[{{\"role\":\"user\",\"content\":[{block}]}}]}}";

        var result = AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(body), max: 0);

        Assert.NotNull(result);
        Assert.Equal(body.Replace(block, expected, StringComparison.Ordinal), Text(result));
        Valid(result);
    }

    [Theory]
    [InlineData("thinking")]
    [InlineData("redacted_thinking")]
    public void EnforceCacheControlLimit_ThinkingBlock_StrippedAndSignatureKept(string type)
    {
        var thinking = "{\"type\":\"" + type + "\",\"thinking\":\"hmm\",\"signature\":\"" + Signature + "\"";
        var body = $$"""{"model":"m","messages":[{"role":"assistant","content":[{{thinking}},{{Cc}}},{"type":"text","text":"ok",{{Cc}}}]}]}""";

        var result = AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(body));

        Assert.NotNull(result);
        Assert.Equal(body.Replace(thinking + "," + Cc + "}", thinking + "}", StringComparison.Ordinal), Text(result));
        Assert.Equal("ok", Cached(AddEmptySystem(result)));
    }

    [Fact]
    public void EnforceCacheControlLimit_ThinkingWithoutCacheControl_ReturnsNull()
    {
        var body = Utf8(SecondTurn());

        Assert.True(body.AsSpan().IndexOf("thinking\""u8) >= 0);
        Assert.Null(AnthropicBodyEditor.EnforceCacheControlLimit(body));
    }

    [Fact]
    public void EnforceCacheControlLimit_NullCacheControl_NotCounted()
    {
        var body = Body(4, 0).Replace("\"tools\":[]", "\"tools\":[{\"name\":\"t\",\"cache_control\":null}]", StringComparison.Ordinal);

        Assert.Null(AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(body)));
    }

    [Fact]
    public void EnforceCacheControlLimit_CacheControlOnlyInsideText_ReturnsNull()
    {
        var text = string.Concat(Enumerable.Repeat("cache_control ", 6));
        var body = $$"""{"model":"m","messages":[{"role":"user","content":"{{text}}"}]}""";

        Assert.Null(AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(body)));
    }

    [Fact]
    public void EnforceCacheControlLimit_NegativeMax_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AnthropicBodyEditor.EnforceCacheControlLimit(Utf8("{}"), -1));

    private static byte[] AddEmptySystem(byte[] body) =>
        Utf8("{\"system\":[]," + Text(body)[1..]);

    [Fact]
    public void EnforceCacheControlLimit_Result_IsValidJsonWithSameOtherContent()
    {
        var body = Body(3, 3);
        var result = AnthropicBodyEditor.EnforceCacheControlLimit(Utf8(body))!;

        var expected = body.Replace(Block("m0", true), Block("m0", false), StringComparison.Ordinal)
            .Replace(Block("m1", true), Block("m1", false), StringComparison.Ordinal);
        Assert.Equal(expected, Text(result));
        Assert.Equal(JsonValueKind.Object, Valid(result).ValueKind);
    }
}

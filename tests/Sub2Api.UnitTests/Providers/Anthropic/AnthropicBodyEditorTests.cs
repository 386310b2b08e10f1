using System.Text.Json;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicBodyEditorTests
{
    private const string BannerArray =
        """[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}}]""";

    public static TheoryData<string, string> ModelBodies => new()
    {
        { FirstTurn(), "\"claude-opus-4-8\"" },
        { SecondTurn(), "\"claude-opus-4-8\"" },
        { "{\n  \"stream\" : true,\n  \"model\" :   \"claude-sonnet-4-5\"  ,\n  \"x\": {\"model\": \"keep\"}\n}", "\"claude-sonnet-4-5\"" },
        { "{\"model\":\"caf\\u00e9\",\"messages\":[]}", "\"caf\\u00e9\"" },
    };

    [Theory]
    [MemberData(nameof(ModelBodies))]
    public void ReplaceModel_AnyBody_KeepsEveryOtherByteIdentical(string json, string oldValue)
    {
        var body = Utf8(json);
        var start = json.IndexOf(oldValue, StringComparison.Ordinal);
        var newValue = "\"claude-opus-4-5-20251101\"";

        var result = AnthropicBodyEditor.ReplaceModel(body, "claude-opus-4-5-20251101");

        var tail = body.Length - start - Utf8(oldValue).Length;
        Assert.Equal(body[..start], result[..start]);
        Assert.Equal(newValue, Text(result[start..^tail]));
        Assert.Equal(body[^tail..], result[^tail..]);
        Assert.Equal("claude-opus-4-5-20251101", Valid(result).GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", "{\"model\":\"m\"}")]
    [InlineData("{\"stream\":true}", "{\"stream\":true,\"model\":\"m\"}")]
    [InlineData("{ }", "{\"model\":\"m\" }")]
    [InlineData("{\"max_tokens\":1024\n}", "{\"max_tokens\":1024,\"model\":\"m\"\n}")]
    [InlineData("{\"model\":12345 ,\"x\":-1.5e3}", "{\"model\":\"m\" ,\"x\":-1.5e3}")]
    public void ReplaceModel_EqualAbsentOrNumber_CopiesAppendsOrReplaces(string json, string expected) =>
        Assert.Equal(expected, Text(AnthropicBodyEditor.ReplaceModel(Utf8(json), "m")));

    [Fact]
    public void ReplaceModel_NameNeedingEscapes_WritesValidJson()
    {
        var result = AnthropicBodyEditor.ReplaceModel(Utf8("{\"model\":\"a\"}"), "we\"ird\\ modèl\n");

        Assert.Equal("{\"model\":\"we\\\"ird\\\\ modèl\\n\"}", Text(result));
        Assert.Equal("we\"ird\\ modèl\n", Valid(result).GetProperty("model").GetString());
    }

    [Fact]
    public void AllEdits_ThinkingBlockWithSignature_SurvivesByteForByte()
    {
        var body = Utf8(SecondTurn());

        var afterModel = AnthropicBodyEditor.ReplaceModel(body, "claude-opus-4-5-20251101");
        var afterLimit = AnthropicBodyEditor.EnforceCacheControlLimit(afterModel, max: 1) ?? afterModel;
        var afterUserId = AnthropicBodyEditor.ReplaceMetadataUserId(afterLimit, "user_x_account_y_session_z");

        foreach (var result in new[] { afterModel, afterLimit, afterUserId })
        {
            Assert.Contains(ThinkingBlock, Text(result), StringComparison.Ordinal);
            Valid(result);
        }
        Assert.NotEqual(afterModel, afterLimit);
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", "{\"model\":\"m\",\"system\":" + BannerArray + "}")]
    [InlineData("{\"model\":\"m\",\"system\":null,\"stream\":true}", "{\"model\":\"m\",\"system\":" + BannerArray + ",\"stream\":true}")]
    [InlineData("{\"model\":\"m\",\"system\" : null }", "{\"model\":\"m\",\"system\" : " + BannerArray + " }")]
    [InlineData("{\"model\":\"m\",\"system\":\"be brief\"}", "{\"model\":\"m\",\"system\":\"be brief\"}")]
    [InlineData("{\"model\":\"m\",\"system\":[]}", "{\"model\":\"m\",\"system\":[]}")]
    public void InjectSystemBanner_AbsentNullPresent_SetsOnlyWhenMissing(string json, string expected)
    {
        var result = AnthropicBodyEditor.InjectSystemBanner(Utf8(json));

        Assert.Equal(expected, Text(result));
        Valid(result);
    }

    [Fact]
    public void ReplaceMetadataUserId_ClaudeCodeJsonString_ReplacesOnlyThatString()
    {
        var json = FirstTurn();
        var newId = """{"device_id":"dev","account_uuid":"acc","session_id":"ses"}""";

        var result = Text(AnthropicBodyEditor.ReplaceMetadataUserId(Utf8(json), newId));

        var encoded = """ "{\"device_id\":\"dev\",\"account_uuid\":\"acc\",\"session_id\":\"ses\"}" """.Trim();
        Assert.Equal(json.Replace($"\"{UserIdJson}\"", encoded, StringComparison.Ordinal), result);
        Assert.Equal(newId, Valid(Utf8(result)).GetProperty("metadata").GetProperty("user_id").GetString());
    }

    [Theory]
    [InlineData("{\"metadata\": { \"user_id\" : \"old\", \"other\": 1 }, \"model\":\"m\"}", "{\"metadata\": { \"user_id\" : \"new\", \"other\": 1 }, \"model\":\"m\"}")]
    [InlineData("{\"user_id\":\"top\",\"metadata\":{\"x\":{\"user_id\":\"deep\"},\"user_id\":\"old\"}}", "{\"user_id\":\"top\",\"metadata\":{\"x\":{\"user_id\":\"deep\"},\"user_id\":\"new\"}}")]
    public void ReplaceMetadataUserId_OnlyMetadataUserId_Changes(string json, string expected) =>
        Assert.Equal(expected, Text(AnthropicBodyEditor.ReplaceMetadataUserId(Utf8(json), "new")));

    [Theory]
    [InlineData("{\"model\":\"m\"}")]
    [InlineData("{\"metadata\":{}}")]
    [InlineData("{\"metadata\":{\"user_id\":null}}")]
    [InlineData("{\"metadata\":\"user_id\"}")]
    public void ReplaceMetadataUserId_Missing_Throws(string json) =>
        Assert.Throws<InvalidOperationException>(() => AnthropicBodyEditor.ReplaceMetadataUserId(Utf8(json), "new"));

    [Fact]
    public void Editors_NotAnObject_ThrowJsonException() =>
        Assert.ThrowsAny<JsonException>(() => AnthropicBodyEditor.ReplaceModel(Utf8("[1]"), "m"));
}

using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class OAuthBodyRewriterTests
{
    private const string BannerBlock = """{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}}""";

    private static OAuthBodyPlan Mimic(string model = "m", bool banner = true, string? userId = null) => new(model, true, banner, userId);

    private static string Rewrite(string json, OAuthBodyPlan plan) =>
        OAuthBodyRewriter.Rewrite(Utf8(json), plan) is { } result ? Text(result) : json;

    public static TheoryData<string, string> MimicBodies => new()
    {
        // string system → banner block + the prompt prefixed with the banner; tools ensured; temperature/tool_choice gone
        {
            """{"model":"m","temperature":0.7,"system":"Be brief.","tool_choice":{"type":"auto"},"messages":[]}""",
            """{"model":"m","system":[""" + BannerBlock + """,{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.\n\nBe brief."}],"messages":[],"tools":[]}"""
        },
        // absent system → [banner]
        {
            """{"model":"m","messages":[],"tools":[]}""",
            """{"model":"m","messages":[],"tools":[],"system":[""" + BannerBlock + "]}"
        },
        // null and empty string system → [banner]
        {
            """{"model":"m","system":null,"tools":[]}""",
            """{"model":"m","system":[""" + BannerBlock + """],"tools":[]}"""
        },
        {
            """{"model":"m","system":"  ","tools":[]}""",
            """{"model":"m","system":[""" + BannerBlock + """],"tools":[]}"""
        },
        // block system: banner first, a duplicate banner (but for whitespace) removed, first non-empty text block prefixed once
        {
            """{"model":"m","system":[{"type":"text","text":""},{"type":"text","text":"\nYou are Claude Code, Anthropic's official CLI for Claude. "},{"type":"text","text":"A","cache_control":{"type":"ephemeral"}},{"type":"text","text":"B"}],"tools":[]}""",
            """{"model":"m","system":[""" + BannerBlock + """,{"type":"text","text":""},{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.\n\nA","cache_control":{"type":"ephemeral"}},{"type":"text","text":"B"}],"tools":[]}"""
        },
        // a known Claude Code prompt already present: no banner, the client's system cache_control stripped
        {
            """{"model":"m","system":[{"type":"text","text":"You are a Claude agent, built on Anthropic's Claude Agent SDK.","cache_control":{"type":"ephemeral"}}],"tools":[]}""",
            """{"model":"m","system":[{"type":"text","text":"You are a Claude agent, built on Anthropic's Claude Agent SDK."}],"tools":[]}"""
        },
        // OpenCode identity → banner
        {
            """{"model":"m","system":"You are OpenCode, the best coding agent on the planet. Go.","tools":[]}""",
            """{"model":"m","system":[""" + BannerBlock + """,{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.\n\nYou are Claude Code, Anthropic's official CLI for Claude. Go."}],"tools":[]}"""
        },
    };

    [Theory]
    [MemberData(nameof(MimicBodies))]
    public void Rewrite_MimicMode_Expected(string json, string expected) => Assert.Equal(expected, Rewrite(json, Mimic()));

    [Theory]
    [InlineData("""{"model":"m","system":"Be brief.","tools":[]}""")]
    [InlineData("""{"model":"m","tools":[]}""")]
    public void Rewrite_MimicWithoutBanner_HaikuOrCountTokens_SystemUntouched(string json) =>
        Assert.Equal(json, Rewrite(json, Mimic(banner: false)));

    [Fact]
    public void Rewrite_MimicWithoutBanner_StripsSystemCacheControlAndRewritesOpenCode()
    {
        var json = """{"model":"m","system":[{"type":"text","text":"You are OpenCode, the best coding agent on the planet.","cache_control":{"type":"ephemeral"}}],"tools":[]}""";

        Assert.Equal("""{"model":"m","system":[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude."}],"tools":[]}""",
            Rewrite(json, Mimic(banner: false)));
    }

    [Theory]
    [InlineData("""{"model":"claude-sonnet-4-5","messages":[],"tools":[]}""", """{"model":"claude-sonnet-4-5-20250929","messages":[],"tools":[],"metadata":{"user_id":"u"}}""")]
    [InlineData("""{"model":"m","metadata":{"other":1},"tools":[]}""", """{"model":"claude-sonnet-4-5-20250929","metadata":{"other":1,"user_id":"u"},"tools":[]}""")]
    [InlineData("""{"model":"m","metadata":{"user_id":""},"tools":[]}""", """{"model":"claude-sonnet-4-5-20250929","metadata":{"user_id":"u"},"tools":[]}""")]
    [InlineData("""{"model":"m","metadata":null,"tools":[]}""", """{"model":"claude-sonnet-4-5-20250929","metadata":{"user_id":"u"},"tools":[]}""")]
    public void Rewrite_MimicWithUserId_DatedModelAndUserIdInjected(string json, string expected) =>
        Assert.Equal(expected, Rewrite(json, Mimic("claude-sonnet-4-5-20250929", banner: false, userId: "u")));

    [Fact]
    public void Rewrite_ClaudeCodeClient_OnlyBillingHeaderBlockRemovedAndModelDated()
    {
        var json = FirstTurn();

        var result = Rewrite(json, new OAuthBodyPlan("claude-opus-4-8-dated", Mimic: false, Banner: true, MetadataUserId: "ignored"));

        Assert.DoesNotContain(BillingHeader, result, StringComparison.Ordinal);
        Assert.Contains("\"model\":\"claude-opus-4-8-dated\"", result, StringComparison.Ordinal);
        // everything else is the client's bytes: removing the block and the model is the only difference
        var expected = json.Replace("\"claude-opus-4-8\"", "\"claude-opus-4-8-dated\"", StringComparison.Ordinal)
            .Replace("{\"type\":\"text\",\"text\":" + System.Text.Json.JsonSerializer.Serialize(BillingHeader) + "},", "", StringComparison.Ordinal);
        Assert.Equal(expected, result);
        Valid(Utf8(result));
    }

    [Theory]
    [InlineData("""{"model":"m","system":"x-anthropic-billing-header: cc_version=1","messages":[]}""", """{"model":"m","messages":[]}""")]
    [InlineData("""{"system":"x-anthropic-billing-header: a","model":"m"}""", """{"model":"m"}""")]
    [InlineData("""{"model":"m","system":[{"type":"text","text":"x-anthropic-billing-header: a"}]}""", """{"model":"m","system":[]}""")]
    public void Rewrite_ClaudeCodeClient_BillingHeaderSystemRemoved(string json, string expected) =>
        Assert.Equal(expected, Rewrite(json, new OAuthBodyPlan("m", Mimic: false, Banner: false, MetadataUserId: null)));

    [Fact]
    public void Rewrite_NothingToChange_Null() =>
        Assert.Null(OAuthBodyRewriter.Rewrite(Utf8("""{"model":"m","system":"s"}"""), new OAuthBodyPlan("m", false, true, null)));

    [Fact]
    public void Rewrite_MimicSecondTurn_ThinkingSignatureBytesSurvive()
    {
        var result = Rewrite(SecondTurn(), Mimic("claude-opus-4-8", userId: "u"));

        Assert.Contains(ThinkingBlock, result, StringComparison.Ordinal);
        Valid(Utf8(result));
    }
}

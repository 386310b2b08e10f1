using Microsoft.AspNetCore.Http;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class ClaudeCodeDetectorTests
{
    private const string Cli = "claude-cli/2.1.197 (external, cli)";

    private static HttpRequest Request(string? userAgent, bool headers = true)
    {
        var context = new DefaultHttpContext();
        if (userAgent is not null)
        {
            context.Request.Headers.UserAgent = userAgent;
        }
        if (headers)
        {
            context.Request.Headers["x-app"] = "cli";
            context.Request.Headers["anthropic-beta"] = "claude-code-20250219";
            context.Request.Headers["anthropic-version"] = "2023-06-01";
        }
        return context.Request;
    }

    [Theory]
    [InlineData(Cli, true)]
    [InlineData("Claude-CLI/1.0.0", true)]
    [InlineData("claude-cli/2.1", false)]
    [InlineData("Anthropic/JS 1.14.0", false)]
    [InlineData(null, false)]
    public void IsClaudeCode_NonMessagesPath_OnlyTheUserAgentCounts(string? userAgent, bool expected) =>
        Assert.Equal(expected, ClaudeCodeDetector.IsClaudeCode(Request(userAgent), Parse(FirstTurn()), isMessagesPath: false));

    [Fact]
    public void IsClaudeCode_RealClaudeCode2Body_True() =>
        Assert.True(ClaudeCodeDetector.IsClaudeCode(Request(Cli), Parse(FirstTurn()), isMessagesPath: true));

    [Fact]
    public void IsClaudeCode_ClaudeCodeBodyWithoutItsHeaders_False() =>
        Assert.False(ClaudeCodeDetector.IsClaudeCode(Request(Cli, headers: false), Parse(FirstTurn()), isMessagesPath: true));

    [Fact]
    public void IsClaudeCode_ClaudeCodeBodyFromAnotherClient_False() =>
        Assert.False(ClaudeCodeDetector.IsClaudeCode(Request("curl/8.0"), Parse(FirstTurn()), isMessagesPath: true));

    [Theory]
    [InlineData("""{"model":"claude-haiku-4-5","max_tokens":1,"messages":[]}""", true)]
    [InlineData("""{"model":"claude-haiku-4-5","max_tokens":1,"stream":true,"messages":[]}""", false)]
    [InlineData("""{"model":"claude-sonnet-4-5","max_tokens":1,"messages":[]}""", false)]
    [InlineData("""{"model":"claude-haiku-4-5","max_tokens":2,"messages":[]}""", false)]
    public void IsClaudeCode_Probe_TrueOnlyForMaxTokens1HaikuNonStream(string json, bool expected) =>
        Assert.Equal(expected, ClaudeCodeDetector.IsClaudeCode(Request(Cli, headers: false), Parse(json), isMessagesPath: true));

    [Theory]
    [InlineData("user_" + DeviceId + "_account__session_5f0c6a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b", true)]
    [InlineData("user_" + DeviceId + "_account_acc_session_5f0c6a1e", false)]
    [InlineData("user_abc_account__session_x", false)]
    [InlineData("{\"device_id\":\"d\",\"account_uuid\":\"\",\"session_id\":\"s-1\"}", true)]
    [InlineData("{\"device_id\":\"d\"}", false)]
    [InlineData(null, false)]
    public void IsClaudeCodeUserId_Forms_Expected(string? userId, bool expected) =>
        Assert.Equal(expected, ClaudeCodeDetector.IsClaudeCodeUserId(userId));

    [Fact]
    public void IsClaudeCode_LegacyUserIdAndAgentSdkPrompt_True()
    {
        var json = $$"""
            {"model":"m","system":[{"type":"text","text":"You are a Claude agent, built on Anthropic's Claude Agent SDK."}],
             "metadata":{"user_id":"user_{{DeviceId}}_account__session_{{SessionId}}"},"messages":[]}
            """;
        Assert.True(ClaudeCodeDetector.IsClaudeCode(Request(Cli), Parse(json), isMessagesPath: true));
    }

    [Fact]
    public void IsClaudeCode_StringSystemPrompt_False()
    {
        var json = $$"""{"model":"m","system":"{{Banner}}","metadata":{"user_id":"user_{{DeviceId}}_account__session_{{SessionId}}"},"messages":[]}""";
        Assert.False(ClaudeCodeDetector.IsClaudeCode(Request(Cli), Parse(json), isMessagesPath: true));
    }

    [Theory]
    [InlineData("You are Claude Code, Anthropic's official CLI for Claude.", "you are  claude code,\nanthropic's official CLI for Claude.", 1.0)]
    [InlineData("night", "nacht", 0.25)]
    [InlineData("abc", "xyz", 0.0)]
    [InlineData("a", "a", 1.0)]
    [InlineData("a", "b", 0.0)]
    public void DiceSimilarity_Pairs_Expected(string a, string b, double expected) =>
        Assert.Equal(expected, ClaudeCodeDetector.DiceSimilarity(a, b), 3);

    [Theory]
    [InlineData("You are Claude Code, Anthropic's official CLI for Claude.", true)]
    [InlineData("You are a file search specialist for Claude Code, Anthropic's official CLI for Claude.", true)]
    [InlineData("You are a helpful AI assistant tasked with summarizing conversations.", true)]
    [InlineData("Translate the following text into French, keeping the tone.", false)]
    public void HasClaudeCodeSystemPrompt_Block_Expected(string text, bool expected) =>
        Assert.Equal(expected, ClaudeCodeDetector.HasClaudeCodeSystemPrompt([text]));
}

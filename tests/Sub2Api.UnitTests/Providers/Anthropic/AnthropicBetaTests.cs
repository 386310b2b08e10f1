using Sub2Api.Providers.Anthropic;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicBetaTests
{
    private const string ClaudeCode217Beta = "claude-code-20250219,context-1m-2025-08-07,interleaved-thinking-2025-05-14,effort-2025-11-24";

    [Fact]
    public void Constants_MatchSpec61()
    {
        Assert.Equal("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14", AnthropicBeta.DefaultBetaHeader);
        Assert.Equal("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14", AnthropicBeta.MessageBetaHeaderNoTools);
        Assert.Equal(AnthropicBeta.MessageBetaHeaderNoTools, AnthropicBeta.MessageBetaHeaderWithTools);
        Assert.Equal("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,token-counting-2024-11-01", AnthropicBeta.CountTokensBetaHeader);
        Assert.Equal("oauth-2025-04-20,interleaved-thinking-2025-05-14", AnthropicBeta.HaikuBetaHeader);
        Assert.Equal("claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14", AnthropicBeta.ApiKeyBetaHeader);
        Assert.Equal("interleaved-thinking-2025-05-14", AnthropicBeta.ApiKeyHaikuBetaHeader);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "oauth-2025-04-20,foo", "oauth-2025-04-20,foo")]
    [InlineData("claude-sonnet-4-5", "foo , oauth-2025-04-20", "foo , oauth-2025-04-20")]
    [InlineData("claude-sonnet-4-5", ClaudeCode217Beta, "claude-code-20250219,oauth-2025-04-20,context-1m-2025-08-07,interleaved-thinking-2025-05-14,effort-2025-11-24")]
    [InlineData("claude-sonnet-4-5", "a, claude-code-20250219 ,b", "a,claude-code-20250219,oauth-2025-04-20,b")]
    [InlineData("claude-sonnet-4-5", "claude-code-20250219", "claude-code-20250219,oauth-2025-04-20")]
    [InlineData("claude-sonnet-4-5", "interleaved-thinking-2025-05-14, x", "oauth-2025-04-20,interleaved-thinking-2025-05-14, x")]
    [InlineData("claude-sonnet-4-5", null, AnthropicBeta.DefaultBetaHeader)]
    [InlineData("claude-sonnet-4-5", "", AnthropicBeta.DefaultBetaHeader)]
    [InlineData("claude-haiku-4-5-20251001", "", AnthropicBeta.HaikuBetaHeader)]
    [InlineData("Claude-HAIKU-3", null, AnthropicBeta.HaikuBetaHeader)]
    public void ForOAuth_ClientBeta_OAuthFlagGuaranteed(string model, string? clientBeta, string expected) =>
        Assert.Equal(expected, AnthropicBeta.ForOAuth(model, clientBeta));

    [Theory]
    [InlineData("claude-sonnet-4-5", null, true, true, null, AnthropicBeta.ApiKeyBetaHeader)]
    [InlineData("claude-sonnet-4-5", null, true, false, "enabled", AnthropicBeta.ApiKeyBetaHeader)]
    [InlineData("claude-sonnet-4-5", "", true, false, "adaptive", AnthropicBeta.ApiKeyBetaHeader)]
    [InlineData("claude-haiku-4-5", null, true, true, null, AnthropicBeta.ApiKeyHaikuBetaHeader)]
    [InlineData("claude-sonnet-4-5", null, true, false, null, null)]
    [InlineData("claude-sonnet-4-5", null, true, false, "disabled", null)]
    [InlineData("claude-sonnet-4-5", null, false, true, "enabled", null)]
    [InlineData("claude-sonnet-4-5", "client-beta", true, true, "enabled", null)]
    public void ForApiKey_InjectRules(string model, string? clientBeta, bool inject, bool hasTools, string? thinking, string? expected) =>
        Assert.Equal(expected, AnthropicBeta.ForApiKey(model, clientBeta, inject, hasTools, thinking));

    [Theory]
    [InlineData("User-Agent", true)]
    [InlineData("anthropic-beta", true)]
    [InlineData("X-Stainless-Helper-Method", true)]
    [InlineData("x-api-key", false)]
    [InlineData("authorization", false)]
    [InlineData("x-claude-code-session-id", false)]
    [InlineData("cookie", false)]
    public void ClientWhitelist_Lookup_IgnoresCase(string header, bool allowed) =>
        Assert.Equal(allowed, AnthropicHeaders.ClientWhitelist.Contains(header));

    [Fact]
    public void DefaultHeaders_MatchSpec61()
    {
        var headers = AnthropicHeaders.DefaultHeaders.ToDictionary(h => h.Key, h => h.Value);

        Assert.Equal(11, headers.Count);
        Assert.Equal("claude-cli/2.1.22 (external, cli)", headers["User-Agent"]);
        Assert.Equal("v24.13.0", headers["X-Stainless-Runtime-Version"]);
        Assert.Equal("cli", headers["X-App"]);
        Assert.Equal("true", headers["Anthropic-Dangerous-Direct-Browser-Access"]);
        Assert.Equal("2023-06-01", AnthropicHeaders.DefaultVersion);
        Assert.Equal(4, AnthropicHeaders.KnownBannerPrefixes.Count);
        Assert.StartsWith(AnthropicHeaders.KnownBannerPrefixes[0], AnthropicHeaders.Banner, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using Sub2Api.Providers.Anthropic.OAuth;

namespace Sub2Api.UnitTests.Providers.Anthropic.OAuth;

public sealed class ClaudeOAuthPrimitivesTests
{
    [Fact]
    public void Pkce_S256ChallengeMatchesRfc7636Example_VerifierAndStateAre32RandomBytesBase64Url()
    {
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", ClaudePkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        var verifier = ClaudePkce.NewVerifier();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", verifier);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", ClaudePkce.NewState());
        Assert.NotEqual(verifier, ClaudePkce.NewVerifier());
    }

    [Fact]
    public void AuthorizeUrl_HasClaudeCodesParameterOrder()
    {
        var url = ClaudePkce.AuthorizeUrl(new ClaudeOAuthOptions(), "user:inference", "CH", "ST");
        Assert.Equal("https://claude.com/cai/oauth/authorize?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e&response_type=code"
            + "&redirect_uri=https%3A%2F%2Fplatform.claude.com%2Foauth%2Fcode%2Fcallback&scope=user%3Ainference"
            + "&code_challenge=CH&code_challenge_method=S256&state=ST", url);
    }

    [Theory]
    [InlineData("1767225600", 1767225600L)]
    [InlineData("\"1767225600\"", 1767225600L)]
    [InlineData("1767225600000", 1767225600L)]
    [InlineData("1767225600.5", 1767225600L)]
    [InlineData("\"2026-01-01T00:00:00Z\"", 1767225600L)]
    public void ExpiresAt_ReadsSecondsMillisecondsStringsAndIsoTimes(string json, long expected)
    {
        var credentials = new JsonObject { ["expires_at"] = JsonNode.Parse(json) };
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected), ClaudeCredentials.ExpiresAt(credentials));
        Assert.True(ClaudeCredentials.IsValidExpiresAt(credentials));
    }

    [Theory]
    [InlineData("\"soon\"", false)]
    [InlineData("true", false)]
    [InlineData("-5", false)]
    [InlineData("{}", false)]
    [InlineData("\"\"", true)]
    [InlineData("null", true)]
    public void ExpiresAt_AnythingElseIsUnreadable_EmptyIsAllowed(string json, bool valid)
    {
        var credentials = new JsonObject { ["expires_at"] = JsonNode.Parse(json) };
        Assert.Null(ClaudeCredentials.ExpiresAt(credentials));
        Assert.Equal(valid, ClaudeCredentials.IsValidExpiresAt(credentials));
    }

    [Theory]
    [InlineData(400, "invalid_grant", null, "Final")]
    [InlineData(401, "invalid_client", null, "Final")]
    [InlineData(400, "invalid_request", "Refresh token has token_expired", "Final")]
    [InlineData(429, null, null, "Transient")]
    [InlineData(503, "server_error", null, "Transient")]
    [InlineData(404, "not_found", null, "Rejected")]
    public void Classify_FinalCodesWin_5xxAnd429AreTransient(int status, string? code, string? description, string kind) =>
        Assert.Equal(kind, ClaudeOAuthException.Classify(status, code, description).ToString());
}

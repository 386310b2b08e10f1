using System.Text;
using Sub2Api.Providers.OpenAI.OAuth;

namespace Sub2Api.UnitTests.Providers.OpenAI;

/// <summary>Reading what the admin pastes after the ChatGPT login, and the claims of an id_token.</summary>
public sealed class OpenAIOAuthParsingTests
{
    [Theory]
    [InlineData("http://localhost:1455/auth/callback?code=ac_abc&scope=openid&state=xyz", "ac_abc", "xyz", null)]
    [InlineData("  http://localhost:1455/auth/callback?code=ac_abc&state=xyz \n", "ac_abc", "xyz", null)]
    [InlineData("localhost:1455/auth/callback?code=ac_abc&state=xyz", "ac_abc", "xyz", null)]
    [InlineData("code=ac_abc&state=xyz", "ac_abc", "xyz", null)]
    [InlineData("?code=ac%2Babc&state=x%20y", "ac+abc", "x y", null)]
    [InlineData("ac_abc", "ac_abc", null, null)]
    [InlineData("http://localhost:1455/auth/callback?error=access_denied&state=xyz", null, "xyz", "access_denied")]
    [InlineData("http://localhost:1455/auth/callback?state=only", null, "only", null)]
    [InlineData("two words", null, null, null)]
    [InlineData("", null, null, null)]
    public void ParsePasted_TakesTheCallbackUrlItsQueryOrABareCode(string pasted, string? code, string? state, string? error)
    {
        Assert.Equal(new OpenAIPastedCallback(code, state, error), OpenAIOAuthFlows.ParsePasted(pasted));
    }

    private static string Jwt(string payloadJson) =>
        "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payloadJson)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

    [Fact]
    public void Claims_ReadTheAuthClaim_AndPickTheDefaultOrganization()
    {
        var claims = OpenAIIdTokenClaims.Parse(Jwt("""
            {"email":"a@b.c","https://api.openai.com/auth":{"chatgpt_account_id":"acc-1","chatgpt_plan_type":"team",
             "chatgpt_user_id":"user-1","organizations":[{"id":"org-a","is_default":false},{"id":"org-b","is_default":true}]}}
            """));

        Assert.Equal(new OpenAIIdTokenClaims("a@b.c", "acc-1", "user-1", "team", "org-b"), claims);
    }

    [Fact]
    public void Claims_WithoutADefaultOrganization_TakeTheFirst_AndUserIdIsTheFallback()
    {
        var claims = OpenAIIdTokenClaims.Parse(Jwt("""
            {"https://api.openai.com/auth":{"user_id":"user-2","organizations":[{"id":"org-a"},{"id":"org-b"}]}}
            """));

        Assert.Equal(new OpenAIIdTokenClaims(null, null, "user-2", null, "org-a"), claims);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.!!!not base64!!!.c")]
    [InlineData("a.bm90IGpzb24.c")] // "not json"
    [InlineData("a.WzEsMl0.c")] // [1,2]: JSON, not an object
    [InlineData("a.eyJlbWFpbCI6NX0.c")] // {"email":5}
    public void Claims_OfGarbage_AreAbsent_NeverAnException(string? idToken)
    {
        Assert.Equal(OpenAIIdTokenClaims.None, OpenAIIdTokenClaims.Parse(idToken));
    }

    [Fact]
    public void AuthorizeUrl_CarriesCodexParameters_AndTheChallengeIsS256OfTheVerifier()
    {
        var verifier = OpenAIPkce.NewVerifier();
        var url = OpenAIPkce.AuthorizeUrl(new OpenAIOAuthOptions(), "http://localhost:1455/auth/callback", OpenAIPkce.Challenge(verifier), "st");

        Assert.StartsWith("https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann&", url, StringComparison.Ordinal);
        Assert.Contains("&scope=openid%20profile%20email%20offline_access&", url, StringComparison.Ordinal);
        Assert.EndsWith("&state=st&id_token_add_organizations=true&codex_cli_simplified_flow=true", url, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{86}$", verifier);
        Assert.NotEqual(OpenAIPkce.NewState(), OpenAIPkce.NewState());
    }

    [Theory]
    [InlineData(400, "invalid_grant", null, "Final")]
    [InlineData(401, "invalid_client", null, "Final")]
    [InlineData(400, "invalid_request", "Your refresh token has already been used (refresh_token_reused)", "Final")]
    [InlineData(500, "server_error", null, "Transient")]
    [InlineData(429, null, null, "Transient")]
    [InlineData(400, "invalid_request", "bad", "Rejected")]
    public void Classify_FinalCodesWin_ThenTheStatus(int status, string? code, string? description, string kind)
    {
        Assert.Equal(kind, OpenAIOAuthException.Classify(status, code, description).ToString());
    }

    [Fact]
    public async Task MemorySessionStore_SessionExpiresAfter30Minutes_AndIsTakenOnce()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new MemoryOpenAIOAuthSessionStore(time);
        var ct = TestContext.Current.CancellationToken;
        var fresh = await store.CreateAsync(new("v", "s", "http://localhost:1455/auth/callback", null, time.GetUtcNow()), ct);
        var stale = await store.CreateAsync(new("v2", "s2", "http://localhost:1455/auth/callback", 3, time.GetUtcNow()), ct);

        Assert.Equal("v", (await store.TakeAsync(fresh, ct))?.Verifier);
        Assert.Null(await store.TakeAsync(fresh, ct));
        time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        Assert.Null(await store.TakeAsync(stale, ct));
    }
}

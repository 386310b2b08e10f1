using System.Net;
using System.Web;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Accounts.OpenAI;

/// <summary>
/// Logging a ChatGPT (Codex) subscription in through <c>/api/v1/admin/openai</c>, against
/// <see cref="FakeOpenAIOAuthServer"/>: the auth URL, the pasted callback URL, the token info with the id_token's
/// claims, the account made from it, and the mistakes an admin can make. Tokens never reach a log line nor come back
/// unmasked once stored.
/// </summary>
public sealed class OpenAIOAuthOnboardingTests(OpenAIOAuthFixture fixture) : IClassFixture<OpenAIOAuthFixture>
{
    private const string Routes = OpenAIOAuthScenario.Routes;

    /// <summary>One gateway for the class (its tests run one after another); the fake forgets the previous test's grants.</summary>
    private readonly OpenAIOAuthScenario _s = fixture.Fresh();

    [Fact]
    public async Task WholeOnboarding_AuthUrl_PastedCallback_TokenInfoWithClaims_AccountCreated_TokensOnlyEverMasked()
    {
        var (authUrl, sessionId) = await _s.GenerateAsync();

        // Every parameter the ChatGPT login page expects from Codex CLI.
        var uri = new Uri(authUrl);
        Assert.Equal(_s.OAuth.BaseUrl + "/oauth/authorize", uri.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(FakeOpenAIOAuthServer.ClientId, query["client_id"]);
        Assert.Equal(FakeOpenAIOAuthServer.RedirectUri, query["redirect_uri"]);
        Assert.Equal("openid profile email offline_access", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["code_challenge"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["state"]);
        Assert.Equal("true", query["id_token_add_organizations"]);
        Assert.Equal("true", query["codex_cli_simplified_flow"]);
        Assert.Equal(9, query.Count);
        Assert.Matches("^[0-9a-f]{32}$", sessionId);

        // The admin pastes the whole URL the browser landed on.
        var callback = _s.OAuth.Authorize(authUrl);
        var info = (await _s.ExchangeAsync(sessionId, callback)).Data;

        var accessToken = info.GetProperty("access_token").GetString()!;
        var refreshToken = info.GetProperty("refresh_token").GetString()!;
        var idToken = info.GetProperty("id_token").GetString()!;
        Assert.Equal(_s.OAuth.IssuedAccessTokens.Single(), accessToken);
        Assert.Equal(_s.OAuth.ExpiresIn, info.GetProperty("expires_in").GetInt64());
        Assert.InRange(info.GetProperty("expires_at").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _s.OAuth.ExpiresIn - 10, _s.OAuth.ExpiresIn + 1);
        Assert.Equal(FakeOpenAIOAuthServer.Email, info.GetProperty("email").GetString());
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, info.GetProperty("chatgpt_account_id").GetString());
        Assert.Equal(FakeOpenAIOAuthServer.UserId, info.GetProperty("chatgpt_user_id").GetString());
        Assert.Equal(FakeOpenAIOAuthServer.DefaultOrgId, info.GetProperty("organization_id").GetString());
        Assert.Equal("plus", info.GetProperty("plan_type").GetString());

        // The exchange went out form-encoded, with the login's redirect URI and a verifier matching the challenge.
        var grant = _s.OAuth.TokenRequests.Single();
        Assert.StartsWith("application/x-www-form-urlencoded", _s.OAuth.ContentTypes.Single(), StringComparison.Ordinal);
        Assert.Equal("authorization_code", grant["grant_type"]);
        Assert.Equal(FakeOpenAIOAuthServer.RedirectUri, grant["redirect_uri"]);
        var verifier = grant["code_verifier"];
        var code = HttpUtility.ParseQueryString(new Uri(callback).Query)["code"]!;

        // The admin's app creates the account with the token info as its credentials.
        var created = await _s.Admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = "codex-plus",
            platform = "openai",
            type = "oauth",
            credentials = info,
            group_ids = new[] { _s.GroupId },
        });
        var accountId = created.Data.GetProperty("id").GetInt64();
        var stored = await _s.CredentialsAsync(accountId);
        Assert.Equal(accessToken, stored["access_token"]!.GetValue<string>());
        Assert.Equal(refreshToken, stored["refresh_token"]!.GetValue<string>());
        Assert.Equal(idToken, stored["id_token"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, stored["chatgpt_account_id"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIOAuthServer.UserId, stored["chatgpt_user_id"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIOAuthServer.DefaultOrgId, stored["organization_id"]!.GetValue<string>());

        // Listed, the tokens are masked; the account id (no secret) is shown.
        var list = await _s.Admin.GetAsync("/api/v1/admin/accounts?platform=openai");
        var listed = list.Data.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == accountId);
        var credentials = listed.GetProperty("credentials");
        Assert.Equal(Masking.Mask(accessToken), credentials.GetProperty("access_token").GetString());
        Assert.Equal(Masking.Mask(idToken), credentials.GetProperty("id_token").GetString());
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, credentials.GetProperty("chatgpt_account_id").GetString());
        foreach (var secret in new[] { accessToken, refreshToken, idToken })
        {
            Assert.DoesNotContain(secret, list.Body.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, created.Body.GetRawText(), StringComparison.Ordinal);
        }
        _s.AssertNeverLogged(accessToken, refreshToken, idToken, verifier, code);
    }

    [Fact]
    public async Task CreateFromOAuth_ExchangesAndCreatesInOneStep_NamedByTheEmail_CredentialsCarryTheClaims()
    {
        var (authUrl, sessionId) = await _s.GenerateAsync();
        var callback = _s.OAuth.Authorize(authUrl);

        var created = await _s.Admin.PostAsync($"{Routes}/create-from-oauth", new
        {
            session_id = sessionId,
            code = callback,
            group_ids = new[] { _s.GroupId },
            concurrency = 7,
            priority = 20,
            notes = "from the wizard",
        });

        var account = created.Data;
        Assert.Equal(FakeOpenAIOAuthServer.Email, account.GetProperty("name").GetString());
        Assert.Equal("openai", account.GetProperty("platform").GetString());
        Assert.Equal("oauth", account.GetProperty("type").GetString());
        Assert.Equal(7, account.GetProperty("concurrency").GetInt32());
        Assert.Equal(20, account.GetProperty("priority").GetInt32());
        Assert.Equal("from the wizard", account.GetProperty("notes").GetString());
        Assert.Equal(_s.GroupId, account.GetProperty("groups").EnumerateArray().Single().GetProperty("id").GetInt64());
        var accessToken = _s.OAuth.IssuedAccessTokens.Single();
        Assert.Equal(Masking.Mask(accessToken), account.GetProperty("credentials").GetProperty("access_token").GetString());
        Assert.DoesNotContain(accessToken, created.Body.GetRawText(), StringComparison.Ordinal);

        var stored = await _s.CredentialsAsync(account.GetProperty("id").GetInt64());
        Assert.Equal(accessToken, stored["access_token"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, stored["chatgpt_account_id"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIOAuthServer.Email, stored["email"]!.GetValue<string>());
        Assert.Equal("plus", stored["plan_type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(stored["id_token"]!.GetValue<string>()));
        Assert.InRange(stored["expires_at"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _s.OAuth.ExpiresIn - 10, _s.OAuth.ExpiresIn + 1);

        // A group of another platform is refused before the exchange: the login is not spent on a typo.
        var (url2, session2) = await _s.GenerateAsync();
        (await _s.Admin.PostAsync($"{Routes}/create-from-oauth", new { session_id = session2, code = _s.OAuth.Authorize(url2), group_ids = new[] { _s.Relay.GroupId } }))
            .ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(1, _s.OAuth.GrantCount("authorization_code"));
    }

    [Fact]
    public async Task BareCodeWithStateBeside_Works_AndTheSessionIsSingleUse()
    {
        var (authUrl, sessionId) = await _s.GenerateAsync();
        var query = HttpUtility.ParseQueryString(new Uri(_s.OAuth.Authorize(authUrl)).Query);

        var info = (await _s.ExchangeAsync(sessionId, query["code"]!, query["state"])).Data;
        Assert.False(string.IsNullOrEmpty(info.GetProperty("access_token").GetString()));

        var again = (await _s.ExchangeAsync(sessionId, _s.OAuth.Authorize(authUrl))).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_SESSION_INVALID", again.Body.GetProperty("reason").GetString());
        Assert.Equal(1, _s.OAuth.GrantCount("authorization_code"));
    }

    [Fact]
    public async Task StateMismatch_Is400_NothingSentUpstream_AndTheSessionIsUsedUp()
    {
        var (firstUrl, firstSession) = await _s.GenerateAsync();
        var (otherUrl, _) = await _s.GenerateAsync();

        var mismatch = (await _s.ExchangeAsync(firstSession, _s.OAuth.Authorize(otherUrl))).ShouldFail(HttpStatusCode.BadRequest);

        Assert.Equal("OAUTH_STATE_MISMATCH", mismatch.Body.GetProperty("reason").GetString());
        Assert.Equal(0, _s.OAuth.GrantCount("authorization_code"));
        (await _s.ExchangeAsync(firstSession, _s.OAuth.Authorize(firstUrl))).ShouldFail(HttpStatusCode.BadRequest);
        // A state beside the code that contradicts the pasted URL's is refused too.
        var (url, session) = await _s.GenerateAsync();
        (await _s.ExchangeAsync(session, _s.OAuth.Authorize(url), "some-other-state")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(0, _s.OAuth.GrantCount("authorization_code"));
    }

    [Fact]
    public async Task ClientMistakes_AreClear400s()
    {
        var unknown = (await _s.ExchangeAsync("0123456789abcdef0123456789abcdef", "some-code")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_SESSION_INVALID", unknown.Body.GetProperty("reason").GetString());
        (await _s.Admin.PostAsync($"{Routes}/exchange-code", new { session_id = "x" })).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.Admin.PostAsync($"{Routes}/exchange-code", new { code = "abc" })).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.ExchangeAsync("x", "http://localhost:1455/auth/callback?state=only")).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.ExchangeAsync("x", "two words")).ShouldFail(HttpStatusCode.BadRequest);
        var refusedLogin = (await _s.ExchangeAsync("x", "http://localhost:1455/auth/callback?error=access_denied&state=s")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_LOGIN_REFUSED", refusedLogin.Body.GetProperty("reason").GetString());
        (await _s.Admin.PostAsync($"{Routes}/generate-auth-url", new { proxy_id = 999 })).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.Admin.PostAsync($"{Routes}/generate-auth-url", new { redirect_uri = "not a url" })).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.Admin.PostAsync($"{Routes}/refresh-token", new { refresh_token = "" })).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.Admin.PostAsync($"{Routes}/create-from-oauth", new { session_id = "x", code = "c", name = new string('n', 101) }))
            .ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(0, _s.OAuth.GrantCount("authorization_code"));

        // An empty body is allowed on generate-auth-url (the original's app sends none without a proxy).
        var empty = await _s.Admin.SendRawAsync(HttpMethod.Post, $"{Routes}/generate-auth-url", "");
        Assert.False(string.IsNullOrEmpty(empty.Data.GetProperty("auth_url").GetString()));
    }

    [Fact]
    public async Task UpstreamInvalidGrant_Is400NamingIt_AndUpstreamOutage_Is502()
    {
        var (url, session) = await _s.GenerateAsync();
        _s.OAuth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);
        var refused = (await _s.ExchangeAsync(session, _s.OAuth.Authorize(url))).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_UPSTREAM_REFUSED", refused.Body.GetProperty("reason").GetString());
        Assert.Equal("invalid_grant", refused.Body.GetProperty("metadata").GetProperty("upstream_error").GetString());
        Assert.Contains("invalid_grant", refused.Message, StringComparison.Ordinal);

        (url, session) = await _s.GenerateAsync();
        _s.OAuth.FailNextGrants(1, FakeOAuthFailure.ServerError);
        var down = (await _s.ExchangeAsync(session, _s.OAuth.Authorize(url))).ShouldFail(HttpStatusCode.BadGateway);
        Assert.Equal("OAUTH_UPSTREAM_UNAVAILABLE", down.Body.GetProperty("reason").GetString());
        Assert.Equal("500", down.Body.GetProperty("metadata").GetProperty("upstream_status").GetString());

        // create-from-oauth answers the same way, and creates nothing.
        var openAIAccounts = await _s.App.WithDbAsync(db => db.Accounts.CountAsync(a => a.Platform == "openai"));
        (url, session) = await _s.GenerateAsync();
        _s.OAuth.FailNextGrants(1, FakeOAuthFailure.ServerError);
        (await _s.Admin.PostAsync($"{Routes}/create-from-oauth", new { session_id = session, code = _s.OAuth.Authorize(url) }))
            .ShouldFail(HttpStatusCode.BadGateway);
        Assert.Equal(openAIAccounts, await _s.App.WithDbAsync(db => db.Accounts.CountAsync(a => a.Platform == "openai")));
    }

    [Fact]
    public async Task ThroughTheSessionsProxy_TheExchangeGoesViaThatProxy()
    {
        // A proxy that refuses connections: the exchange must try it (and fail as unreachable), not go direct.
        var proxyId = (await _s.Admin.PostAsync("/api/v1/admin/proxies", new { name = "dead", protocol = "http", host = "127.0.0.1", port = 1 }))
            .Data.GetProperty("id").GetInt64();
        var (url, session) = await _s.GenerateAsync(new { proxy_id = proxyId });

        var failed = (await _s.ExchangeAsync(session, _s.OAuth.Authorize(url))).ShouldFail(HttpStatusCode.BadGateway);

        Assert.Equal("OAUTH_UPSTREAM_UNAVAILABLE", failed.Body.GetProperty("reason").GetString());
        Assert.Equal(0, _s.OAuth.GrantCount("authorization_code"));
    }

    [Fact]
    public async Task NonAdmin_Gets403_OnEveryRoute()
    {
        var (user, _) = await _s.App.CreateUserAsync($"user-{Guid.NewGuid():N}@example.com");
        foreach (var route in new[] { "generate-auth-url", "exchange-code", "refresh-token", "accounts/1/refresh", "create-from-oauth" })
        {
            (await user.PostAsync($"{Routes}/{route}", new { session_id = "x", code = "y", refresh_token = "z" })).ShouldFail(HttpStatusCode.Forbidden);
        }
        Assert.Empty(_s.OAuth.TokenRequests);
    }

    [Fact]
    public async Task RefreshTokenRoute_AnswersTheTokenInfo_SendsTheNarrowerScope_AndRefusesASpentToken()
    {
        var (_, refresh, _) = _s.OAuth.IssueTokens();

        var info = (await _s.Admin.PostAsync($"{Routes}/refresh-token", new { refresh_token = refresh })).Data;

        Assert.Equal(_s.OAuth.IssuedAccessTokens[^1], info.GetProperty("access_token").GetString());
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, info.GetProperty("chatgpt_account_id").GetString());
        var grant = _s.OAuth.TokenRequests.Single();
        Assert.Equal("refresh_token", grant["grant_type"]);
        Assert.Equal("openid profile email", grant["scope"]);
        Assert.Equal(FakeOpenAIOAuthServer.ClientId, grant["client_id"]);
        var rotated = info.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(refresh, rotated);
        Assert.True(_s.OAuth.IsLive(rotated));

        // "rt" is the original's alias; the spent token is refused with a 400 naming invalid_grant.
        var spent = (await _s.Admin.PostAsync($"{Routes}/refresh-token", new { rt = refresh })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", spent.Body.GetProperty("metadata").GetProperty("upstream_error").GetString());
        Assert.DoesNotContain(refresh, spent.Body.GetRawText(), StringComparison.Ordinal);
        _s.AssertNeverLogged(refresh, rotated, info.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task AccountRefreshRoute_RotatesAndStoresTheNewTokens_AndRenewsTheClaims()
    {
        var (id, oldAccess, oldRefresh) = await _s.SeedAccountAsync(TimeSpan.FromDays(5));
        _s.OAuth.PlanType = "pro";

        var refreshed = await _s.Admin.PostAsync($"{Routes}/accounts/{id}/refresh");

        var stored = await _s.CredentialsAsync(id);
        var newAccess = stored["access_token"]!.GetValue<string>();
        var newRefresh = stored["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(oldAccess, newAccess);
        Assert.Equal(_s.OAuth.IssuedAccessTokens[^1], newAccess);
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.True(_s.OAuth.IsLive(newRefresh), "the rotated refresh token was stored");
        Assert.False(_s.OAuth.IsLive(oldRefresh));
        Assert.Equal("pro", stored["plan_type"]!.GetValue<string>());
        Assert.Equal("kept across refreshes", stored["custom_field"]!.GetValue<string>());
        Assert.Equal(Masking.Mask(newAccess), refreshed.Data.GetProperty("credentials").GetProperty("access_token").GetString());
        Assert.DoesNotContain(newAccess, refreshed.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(newRefresh, refreshed.Body.GetRawText(), StringComparison.Ordinal);

        // Not an OpenAI OAuth account, or no account at all.
        var claudeAccount = await _s.Relay.AddOAuthAccountAsync("ok");
        (await _s.Admin.PostAsync($"{Routes}/accounts/{claudeAccount}/refresh")).ShouldFail(HttpStatusCode.BadRequest);
        (await _s.Admin.PostAsync($"{Routes}/accounts/999999/refresh")).ShouldFail(HttpStatusCode.NotFound);
        (await _s.Admin.PostAsync($"{Routes}/accounts/abc/refresh")).ShouldFail(HttpStatusCode.BadRequest);
        _s.AssertNeverLogged(oldAccess, oldRefresh, newAccess, newRefresh);
    }

    [Fact]
    public async Task BackgroundJob_RefreshesAnOpenAIAccountNearExpiry_ExactlyOnce()
    {
        await using var s = await OpenAIOAuthScenario.StartAsync(new Dictionary<string, string?> { ["TokenRefresh:CheckIntervalSeconds"] = "0.1" });
        var (id, oldAccess, oldRefresh) = await s.SeedAccountAsync(TimeSpan.FromMinutes(10));

        await RelayScenario.WaitUntilAsync(async () => (await s.CredentialsAsync(id))["access_token"]!.GetValue<string>() != oldAccess,
            TimeSpan.FromSeconds(15), "the job refreshed the OpenAI token");
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.Logs.Messages.Any(m => m.Contains("token refreshed", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(5), "the refresh was logged: " + string.Join(" | ", s.Logs.Messages));

        // Further passes find the token fresh: no second grant.
        var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Sub2Api.Accounts.TokenRefreshJob>(s.App.Services);
        Assert.Equal(0, await job.RefreshDueAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, s.OAuth.GrantCount("refresh_token"));
        var stored = await s.CredentialsAsync(id);
        Assert.True(s.OAuth.IsLive(stored["refresh_token"]!.GetValue<string>()));
        Assert.False(s.OAuth.IsLive(oldRefresh));
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, stored["chatgpt_account_id"]!.GetValue<string>());
        Assert.Equal("openid profile email", s.OAuth.TokenRequests.Single()["scope"]);
        s.AssertNeverLogged(oldAccess, oldRefresh, stored["access_token"]!.GetValue<string>(), stored["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshRefusedWithInvalidGrant_MarksTheAccountError()
    {
        var (id, _, _) = await _s.SeedAccountAsync(TimeSpan.FromDays(5));
        _s.OAuth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);

        var failed = (await _s.Admin.PostAsync($"{Routes}/accounts/{id}/refresh")).ShouldFail(HttpStatusCode.BadGateway);

        Assert.Equal("TOKEN_REFRESH_REJECTED", failed.Body.GetProperty("reason").GetString());
        Assert.Equal(1, _s.OAuth.GrantCount("refresh_token"));
        Assert.Equal("error", (await _s.Relay.AccountAsync(id)).Status);
    }
}

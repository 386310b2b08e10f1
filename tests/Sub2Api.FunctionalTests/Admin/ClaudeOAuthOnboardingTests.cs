using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Providers.Anthropic.OAuth;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// Logging a Claude subscription in through the admin API, against <see cref="FakeOAuthServer"/>, then using the
/// account through the relay (<see cref="FakeUpstream"/>): browser flow, setup token, sessionKey cookie, and the
/// mistakes an admin can make. Tokens must never reach a log line nor come back unmasked.
/// </summary>
public sealed class ClaudeOAuthOnboardingTests : IAsyncLifetime
{
    private const string Accounts = "/api/v1/admin/accounts";

    private FakeOAuthServer _oauth = null!;
    private RelayScenario _scenario = null!;
    private ApiClient _admin = null!;
    private LogCapture _logs = null!;

    public async ValueTask InitializeAsync()
    {
        _oauth = await FakeOAuthServer.StartAsync();
        _scenario = await RelayScenario.StartAsync(_oauth.Settings);
        _logs = _scenario.CaptureLogs();
        _admin = await _scenario.App.AdminAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _scenario.DisposeAsync();
        await _oauth.DisposeAsync();
    }

    private async Task<(string AuthUrl, string SessionId)> GenerateAsync(string route = "generate-auth-url", object? body = null)
    {
        var data = (await _admin.PostAsync($"{Accounts}/{route}", body ?? new { })).Data;
        return (data.GetProperty("auth_url").GetString()!, data.GetProperty("session_id").GetString()!);
    }

    private Task<ApiResult> ExchangeAsync(string sessionId, string code, string route = "exchange-code") =>
        _admin.PostAsync($"{Accounts}/{route}", new { session_id = sessionId, code });

    private async Task<long> CreateAccountAsync(JsonElement tokenInfo, string type = "oauth")
    {
        var created = await _admin.PostAsync(Accounts, new
        {
            name = "claude-max-" + type,
            platform = "anthropic",
            type,
            credentials = tokenInfo,
            extra = new
            {
                org_uuid = tokenInfo.GetProperty("org_uuid").GetString(),
                account_uuid = tokenInfo.GetProperty("account_uuid").GetString(),
                email_address = tokenInfo.GetProperty("email_address").GetString(),
            },
            group_ids = new[] { _scenario.GroupId },
            concurrency = 3,
        });
        Assert.DoesNotContain(tokenInfo.GetProperty("access_token").GetString()!, created.Body.GetRawText(), StringComparison.Ordinal);
        return created.Data.GetProperty("id").GetInt64();
    }

    private Task<JsonObject> StoredCredentialsAsync(long id) => _scenario.App.WithDbAsync(async db =>
    {
        var stored = await db.Accounts.AsNoTracking().Where(a => a.Id == id).Select(a => a.CredentialsEncrypted).SingleAsync();
        return _scenario.App.Services.GetRequiredService<CredentialsCodec>().Unprotect(stored);
    });

    /// <summary>No captured log line contains any of these (tokens, codes, verifiers, cookies).</summary>
    private void AssertNeverLogged(params string[] secrets)
    {
        var messages = _logs.Messages;
        Assert.NotEmpty(messages);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(messages, m => m.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task BrowserFlow_PastedCodeAndState_AccountServesWithTheExchangedToken_TokensOnlyEverMasked()
    {
        var (authUrl, sessionId) = await GenerateAsync();

        // Claude Code's parameter order, the configured authorize endpoint, the full browser scope.
        var uri = new Uri(authUrl);
        Assert.Equal(_oauth.BaseUrl + "/oauth/authorize", uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(["code", "client_id", "response_type", "redirect_uri", "scope", "code_challenge", "code_challenge_method", "state"],
            uri.Query.TrimStart('?').Split('&').Select(p => p[..p.IndexOf('=', StringComparison.Ordinal)]));
        Assert.Contains("org:create_api_key", Uri.UnescapeDataString(authUrl), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", sessionId);

        var pasted = _oauth.Authorize(authUrl);
        var info = (await ExchangeAsync(sessionId, pasted)).Data;

        var accessToken = info.GetProperty("access_token").GetString()!;
        var refreshToken = info.GetProperty("refresh_token").GetString()!;
        Assert.Equal(_oauth.IssuedAccessTokens.Single(), accessToken);
        Assert.Equal("Bearer", info.GetProperty("token_type").GetString());
        Assert.Equal(28_800, info.GetProperty("expires_in").GetInt64());
        Assert.InRange(info.GetProperty("expires_at").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 28_790, 28_801);
        Assert.Equal(FakeOAuthServer.OrgUuid, info.GetProperty("org_uuid").GetString());
        Assert.Equal(FakeOAuthServer.AccountUuid, info.GetProperty("account_uuid").GetString());
        Assert.Equal(FakeOAuthServer.Email, info.GetProperty("email_address").GetString());
        var grant = _oauth.TokenRequests.Single();
        Assert.Equal("authorization_code", grant["grant_type"]!.GetValue<string>());
        Assert.Equal(pasted[(pasted.IndexOf('#', StringComparison.Ordinal) + 1)..], grant["state"]!.GetValue<string>());
        Assert.Null(grant["expires_in"]);
        var verifier = grant["code_verifier"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", verifier);

        // The admin's app creates the account with the token info as credentials (expires_at a number here).
        var accountId = await CreateAccountAsync(info);
        var stored = await StoredCredentialsAsync(accountId);
        Assert.Equal(accessToken, stored["access_token"]!.GetValue<string>());
        Assert.Equal(refreshToken, stored["refresh_token"]!.GetValue<string>());
        Assert.Equal(info.GetProperty("expires_at").GetInt64(), stored["expires_at"]!.GetValue<long>());
        var encrypted = await _scenario.App.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId).Select(a => a.CredentialsEncrypted).SingleAsync());
        Assert.DoesNotContain(accessToken, encrypted, StringComparison.Ordinal);

        // A request through the relay reaches upstream with the exchanged bearer token.
        var (key, _, _) = await _scenario.AddUserWithKeyAsync();
        var (status, body) = await _scenario.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("Bearer " + accessToken, _scenario.Upstream.Received.Single().Header("authorization"));

        // Afterwards the tokens only come back masked.
        var list = await _admin.GetAsync(Accounts);
        var listed = list.Data.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == accountId);
        Assert.Equal(Masking.Mask(accessToken), listed.GetProperty("credentials").GetProperty("access_token").GetString());
        Assert.Equal(Masking.Mask(refreshToken), listed.GetProperty("credentials").GetProperty("refresh_token").GetString());
        Assert.Equal(FakeOAuthServer.AccountUuid, listed.GetProperty("extra").GetProperty("account_uuid").GetString());
        foreach (var secret in new[] { accessToken, refreshToken })
        {
            Assert.DoesNotContain(secret, list.Body.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, (await _admin.GetAsync($"{Accounts}/{accountId}")).Body.GetRawText(), StringComparison.Ordinal);
        }
        AssertNeverLogged(accessToken, refreshToken, verifier, pasted[..pasted.IndexOf('#', StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task BrowserFlow_WholeCallbackUrlPasted_Works_AndTheSessionIsSingleUse()
    {
        var (authUrl, sessionId) = await GenerateAsync();
        var callback = _oauth.AuthorizeToCallbackUrl(authUrl);

        var info = (await ExchangeAsync(sessionId, callback)).Data;
        Assert.False(string.IsNullOrEmpty(info.GetProperty("access_token").GetString()));

        // The same session again (even with a fresh, valid code for it): gone.
        var again = (await ExchangeAsync(sessionId, _oauth.Authorize(authUrl))).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_SESSION_INVALID", again.Body.GetProperty("reason").GetString());
        Assert.Equal(1, _oauth.GrantCount("authorization_code"));
    }

    [Fact]
    public async Task SetupTokenFlow_InferenceScope_AsksForAYear_CreatesASetupTokenAccountThatServes()
    {
        var (authUrl, sessionId) = await GenerateAsync("generate-setup-token-url");
        Assert.Contains("scope=user%3Ainference&", authUrl, StringComparison.Ordinal);

        var info = (await ExchangeAsync(sessionId, _oauth.Authorize(authUrl), "exchange-setup-token-code")).Data;

        Assert.Equal(31_536_000, _oauth.TokenRequests.Single()["expires_in"]!.GetValue<long>());
        Assert.Equal("user:inference", info.GetProperty("scope").GetString());
        var accountId = await CreateAccountAsync(info, type: "setup-token");
        Assert.Equal("setup-token", (await _admin.GetAsync($"{Accounts}/{accountId}")).Data.GetProperty("type").GetString());
        var (key, _, _) = await _scenario.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await _scenario.SendAsync(key)).Status);
        Assert.Equal("Bearer " + info.GetProperty("access_token").GetString(), _scenario.Upstream.Received.Single().Header("authorization"));
    }

    [Fact]
    public async Task CookieFlow_PicksTheTeamOrganization_WithoutCreateApiKeyScope_AndSetupTokenVariant()
    {
        var info = (await _admin.PostAsync($"{Accounts}/cookie-auth", new { session_id = "", code = _oauth.SessionKey })).Data;

        Assert.False(string.IsNullOrEmpty(info.GetProperty("access_token").GetString()));
        Assert.Equal(FakeOAuthServer.OrgUuid, info.GetProperty("org_uuid").GetString());
        Assert.DoesNotContain("org:create_api_key", _oauth.LastAuthorizeScope, StringComparison.Ordinal);
        Assert.Contains("user:inference", _oauth.LastAuthorizeScope, StringComparison.Ordinal);
        Assert.Null(_oauth.TokenRequests.Single()["expires_in"]);

        // Pasted as "sessionKey=…" works too; the setup-token variant asks for inference only and a year.
        var setup = (await _admin.PostAsync($"{Accounts}/setup-token-cookie-auth", new { code = "sessionKey=" + _oauth.SessionKey })).Data;
        Assert.Equal("user:inference", _oauth.LastAuthorizeScope);
        Assert.Equal(31_536_000, _oauth.TokenRequests[^1]["expires_in"]!.GetValue<long>());
        Assert.NotEqual(info.GetProperty("access_token").GetString(), setup.GetProperty("access_token").GetString());

        // A dead cookie: claude.ai refuses it; the answer names the upstream status, not the cookie.
        var refused = (await _admin.PostAsync($"{Accounts}/cookie-auth", new { code = "sk-ant-sid01-expired-cookie-value" }))
            .ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("403", refused.Body.GetProperty("metadata").GetProperty("upstream_status").GetString());
        Assert.DoesNotContain("sk-ant-sid01-expired-cookie-value", refused.Body.GetRawText(), StringComparison.Ordinal);
        (await _admin.PostAsync($"{Accounts}/cookie-auth", new { code = "" })).ShouldFail(HttpStatusCode.BadRequest);
        (await _admin.PostAsync($"{Accounts}/cookie-auth", new { code = "abc\r\nX-Injected: 1" })).ShouldFail(HttpStatusCode.BadRequest);
        AssertNeverLogged(_oauth.SessionKey, info.GetProperty("access_token").GetString()!, setup.GetProperty("refresh_token").GetString()!);
    }

    [Fact]
    public async Task Exchange_ClientMistakes_AreClear400s_AndUpstreamFailuresNameTheUpstreamError()
    {
        // Unknown session.
        var unknown = (await ExchangeAsync("0123456789abcdef0123456789abcdef", "code#state")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_SESSION_INVALID", unknown.Body.GetProperty("reason").GetString());

        // Missing fields.
        (await _admin.PostAsync($"{Accounts}/exchange-code", new { session_id = "x" })).ShouldFail(HttpStatusCode.BadRequest);
        (await _admin.PostAsync($"{Accounts}/exchange-code", new { code = "a#b" })).ShouldFail(HttpStatusCode.BadRequest);
        (await ExchangeAsync("x", "https://platform.claude.com/oauth/code/callback?state=only")).ShouldFail(HttpStatusCode.BadRequest);

        // A code from another attempt: state mismatch, nothing sent upstream, and the session is used up.
        var (firstUrl, firstSession) = await GenerateAsync();
        var (otherUrl, _) = await GenerateAsync();
        var mismatch = (await ExchangeAsync(firstSession, _oauth.Authorize(otherUrl))).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_STATE_MISMATCH", mismatch.Body.GetProperty("reason").GetString());
        Assert.Equal(0, _oauth.GrantCount("authorization_code"));
        (await ExchangeAsync(firstSession, _oauth.Authorize(firstUrl))).ShouldFail(HttpStatusCode.BadRequest);

        // Upstream says invalid_grant: a 400 naming it.
        var (url, session) = await GenerateAsync();
        _oauth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);
        var refused = (await ExchangeAsync(session, _oauth.Authorize(url))).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("OAUTH_UPSTREAM_REFUSED", refused.Body.GetProperty("reason").GetString());
        Assert.Equal("invalid_grant", refused.Body.GetProperty("metadata").GetProperty("upstream_error").GetString());
        Assert.Contains("invalid_grant", refused.Message, StringComparison.Ordinal);

        // Upstream down: a 502.
        (url, session) = await GenerateAsync();
        _oauth.FailNextGrants(1, FakeOAuthFailure.ServerError);
        (await ExchangeAsync(session, _oauth.Authorize(url))).ShouldFail(HttpStatusCode.BadGateway);

        // A proxy that does not exist: refused before the admin goes to log in.
        (await _admin.PostAsync($"{Accounts}/generate-auth-url", new { proxy_id = 999 })).ShouldFail(HttpStatusCode.BadRequest);

        // An empty body is allowed on the generate routes (the original's app sends none without a proxy).
        var empty = await _admin.SendRawAsync(HttpMethod.Post, $"{Accounts}/generate-setup-token-url", "");
        Assert.False(string.IsNullOrEmpty(empty.Data.GetProperty("auth_url").GetString()));
    }

    [Fact]
    public async Task Exchange_ThroughTheSessionsProxy_ReachesUpstreamViaThatProxy()
    {
        // A proxy that refuses connections: the exchange must try it (and fail as unreachable), not go direct.
        var proxyId = (await _admin.PostAsync("/api/v1/admin/proxies", new { name = "dead", protocol = "http", host = "127.0.0.1", port = 1 }))
            .Data.GetProperty("id").GetInt64();
        var (url, session) = await GenerateAsync(body: new { proxy_id = proxyId });

        var failed = (await ExchangeAsync(session, _oauth.Authorize(url))).ShouldFail(HttpStatusCode.BadGateway);

        Assert.Equal("OAUTH_UPSTREAM_UNAVAILABLE", failed.Body.GetProperty("reason").GetString());
        Assert.Equal(0, _oauth.GrantCount("authorization_code"));
    }

    [Fact]
    public async Task ReAuthorise_PutWithNewTokenInfo_ReplacesTheCredentials_ExpiresAtAsStringAccepted_NonTimeRefused()
    {
        var (url, session) = await GenerateAsync();
        var first = (await ExchangeAsync(session, _oauth.Authorize(url))).Data;
        var accountId = await CreateAccountAsync(first);
        (url, session) = await GenerateAsync("generate-setup-token-url");
        var second = JsonNode.Parse((await ExchangeAsync(session, _oauth.Authorize(url), "exchange-setup-token-code")).Data.GetRawText())!.AsObject();
        var newAccess = second["access_token"]!.GetValue<string>();
        var expiresAt = second["expires_at"]!.GetValue<long>();
        second["expires_at"] = expiresAt.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var updated = await _admin.PutAsync($"{Accounts}/{accountId}", new
        {
            type = "setup-token",
            credentials = second,
            extra = new { org_uuid = FakeOAuthServer.OrgUuid, account_uuid = FakeOAuthServer.AccountUuid },
        });

        Assert.Equal("setup-token", updated.Data.GetProperty("type").GetString());
        Assert.Equal(Masking.Mask(newAccess), updated.Data.GetProperty("credentials").GetProperty("access_token").GetString());
        Assert.DoesNotContain(newAccess, updated.Body.GetRawText(), StringComparison.Ordinal);
        var stored = await StoredCredentialsAsync(accountId);
        Assert.Equal(newAccess, stored["access_token"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expiresAt), ClaudeCredentials.ExpiresAt(stored));
        var (key, _, _) = await _scenario.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await _scenario.SendAsync(key)).Status);
        Assert.Equal("Bearer " + newAccess, _scenario.Upstream.Received.Single().Header("authorization"));

        // An expiry that is not a time is refused.
        second["expires_at"] = "soon";
        (await _admin.PutAsync($"{Accounts}/{accountId}", new { credentials = second })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MemorySessionStore_SessionExpiresAfter30Minutes_AndIsTakenOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new MemoryClaudeOAuthSessionStore(time);
        var ct = TestContext.Current.CancellationToken;
        var fresh = await store.CreateAsync(new ClaudeOAuthSession("v", "s", false, null, time.GetUtcNow()), ct);
        var stale = await store.CreateAsync(new ClaudeOAuthSession("v2", "s2", true, 3, time.GetUtcNow()), ct);

        Assert.Equal("v", (await store.TakeAsync(fresh, ct))?.Verifier);
        Assert.Null(await store.TakeAsync(fresh, ct));
        time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        Assert.Null(await store.TakeAsync(stale, ct));
    }

    [Theory]
    [InlineData("abc#xyz", "abc", "xyz")]
    [InlineData("  abc#xyz \n", "abc", "xyz")]
    [InlineData("abc", "abc", null)]
    [InlineData("https://platform.claude.com/oauth/code/callback?code=abc&state=xyz", "abc", "xyz")]
    [InlineData("https://platform.claude.com/oauth/code/callback?code=abc%23xyz", "abc", "xyz")]
    public void ParsePasted_AcceptsCodeHashStateOrTheCallbackUrl(string pasted, string code, string? state)
    {
        var parsed = ClaudeOAuthFlows.ParsePasted(pasted);
        Assert.Equal((code, state), parsed);
    }
}

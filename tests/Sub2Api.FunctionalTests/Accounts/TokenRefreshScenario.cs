using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Accounts;

/// <summary>
/// A gateway wired to a <see cref="FakeOAuthServer"/> (token endpoint) and a <see cref="FakeUpstream"/> that accepts
/// only the newest access token the OAuth server granted, as the real upstream refuses a rotated-away or expired one.
/// The background job is slowed down unless a test asks for it; refresh backoff is milliseconds.
/// </summary>
internal sealed class TokenRefreshScenario : IAsyncDisposable
{
    private TokenRefreshScenario(RelayScenario relay, FakeOAuthServer oauth, bool ownsOAuth)
    {
        Relay = relay;
        OAuth = oauth;
        _ownsOAuth = ownsOAuth;
        relay.Upstream.BearerIsValid = token => oauth.IssuedAccessTokens.Count > 0 && oauth.IssuedAccessTokens[^1] == token;
    }

    private readonly bool _ownsOAuth;

    public RelayScenario Relay { get; }
    public FakeOAuthServer OAuth { get; }
    public Sub2ApiFactory App => Relay.App;
    public int RefreshGrants => OAuth.GrantCount("refresh_token");

    /// <param name="oauth">An OAuth server to reuse (restart tests); otherwise one is started and owned.</param>
    public static async Task<TokenRefreshScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? dataDir = null,
        FakeOAuthServer? oauth = null)
    {
        var server = oauth ?? await FakeOAuthServer.StartAsync();
        var all = new Dictionary<string, string?>(server.Settings)
        {
            ["TokenRefresh:CheckIntervalSeconds"] = "3600",
            ["TokenRefresh:RetryBackoffMilliseconds"] = "5",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new TokenRefreshScenario(await RelayScenario.StartAsync(all, dataDir), server, ownsOAuth: oauth is null);
    }

    /// <summary>
    /// An OAuth account holding a token pair the fake issued, its access token ending <paramref name="expiresIn"/> from
    /// now; <paramref name="accessToken"/> overrides the access token (e.g. one the upstream will refuse).
    /// </summary>
    public async Task<(long Id, string AccessToken, string RefreshToken)> AddOAuthAccountAsync(TimeSpan expiresIn, string? accessToken = null,
        int priority = 50, int concurrency = 50, string type = AccountTypes.OAuth)
    {
        var (access, refresh) = OAuth.IssueTokens();
        access = accessToken ?? access;
        var id = await TestSeed.AccountAsync(App, Relay.GroupId, type, new JsonObject
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["expires_at"] = DateTimeOffset.UtcNow.Add(expiresIn).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["token_type"] = "Bearer",
            ["model_mapping"] = new JsonObject { ["claude-sonnet-4-5"] = "claude-sonnet-4-5-20250929" },
            ["custom_field"] = "kept across refreshes",
        }, priority, concurrency);
        return (id, access, refresh);
    }

    public Task<JsonObject> CredentialsAsync(long accountId) => App.WithDbAsync(async db =>
    {
        var stored = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.CredentialsEncrypted).FirstAsync();
        return App.Services.GetRequiredService<CredentialsCodec>().Unprotect(stored);
    });

    public long AccountsGeneration => App.Services.GetRequiredService<ConfigGeneration>().Accounts;

    /// <summary>The bearer tokens the upstream received, in order.</summary>
    public IReadOnlyList<string> BearersSent => [.. Relay.Upstream.Received
        .Select(r => r.Header("authorization") ?? "").Where(a => a.StartsWith("Bearer ", StringComparison.Ordinal)).Select(a => a["Bearer ".Length..])];

    public Task<(HttpStatusCode Status, string Body)> SendAsync(string key) => Relay.SendAsync(key);

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        if (_ownsOAuth)
        {
            await OAuth.DisposeAsync();
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>What <see cref="FakeOAuthServer.FailNextGrants"/> makes the token endpoint answer.</summary>
public enum FakeOAuthFailure
{
    /// <summary>400 <c>{"error":"invalid_grant"}</c>: a final error.</summary>
    InvalidGrant,

    /// <summary>500: a transient error.</summary>
    ServerError,
}

/// <summary>
/// A fake Claude OAuth provider on a real Kestrel socket (127.0.0.1, dynamic port), strict where the real one is:
/// <list type="bullet">
/// <item><c>POST /v1/oauth/token</c>, grant <c>authorization_code</c>: the code must have been issued here (by
/// <see cref="AuthorizeAsync"/> or the cookie authorize) and not used yet; <c>client_id</c>, <c>redirect_uri</c>
/// and the PKCE verifier (S256 of it = the challenge seen on authorize) must match, and a sent <c>state</c> too.</item>
/// <item>grant <c>refresh_token</c>: each refresh token works exactly once and every grant rotates it; reuse
/// answers 400 <c>{"error":"invalid_grant"}</c>.</item>
/// <item><c>GET /api/organizations</c> and <c>POST /v1/oauth/{org}/authorize</c>: the claude.ai cookie flow; both
/// require the <c>sessionKey</c> cookie <see cref="SessionKey"/>.</item>
/// </list>
/// Knobs: <see cref="ExpiresIn"/>, <see cref="GrantDelay"/> (widens races), <see cref="FailNextGrants"/>, and
/// <see cref="AccessTokenWord"/> (a <see cref="FakeUpstream"/> behaviour word put into every access token).
/// Counters are thread-safe: <see cref="GrantCount"/> per grant type, <see cref="RefreshCount"/> per refresh token.
/// Point the gateway at it with <see cref="Settings"/>. Linked into the integration tier as well.
/// </summary>
public sealed class FakeOAuthServer : IAsyncDisposable
{
    public const string ClientId = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
    public const string RedirectUri = "https://platform.claude.com/oauth/code/callback";
    public const string OrgUuid = "11111111-aaaa-4bbb-8ccc-000000000001";
    public const string PersonalOrgUuid = "11111111-aaaa-4bbb-8ccc-000000000002";
    public const string AccountUuid = "22222222-aaaa-4bbb-8ccc-000000000003";
    public const string Email = "owner@example.com";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _liveRefreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _grantCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _refreshCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JsonObject> _tokenRequests = new();
    private readonly ConcurrentQueue<string> _issuedAccessTokens = new();
    private int _failuresLeft;
    private FakeOAuthFailure _failure;
    private int _serial;

    private FakeOAuthServer(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The gateway settings that send every Claude OAuth call here.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OAuth:Claude:AuthorizeUrl"] = BaseUrl + "/oauth/authorize",
        ["OAuth:Claude:TokenUrl"] = BaseUrl + "/v1/oauth/token",
        ["OAuth:Claude:WebBaseUrl"] = BaseUrl,
    };

    /// <summary><c>expires_in</c> of every grant (seconds).</summary>
    public long ExpiresIn { get; set; } = 28_800;

    /// <summary>Waited before answering each token grant.</summary>
    public TimeSpan GrantDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The claude.ai cookie the organization and authorize endpoints accept.</summary>
    public string SessionKey { get; set; } = "sk-ant-sid01-fake-session-key-" + Guid.NewGuid().ToString("N");

    /// <summary>Put into every access token, so <see cref="FakeUpstream"/> answers with that behaviour ("ok" by default).</summary>
    public string AccessTokenWord { get; set; } = "ok";

    /// <summary>The organizations <c>/api/organizations</c> lists (a personal one first, the team one second).</summary>
    public List<(string Uuid, string Name, string? RavenType)> Organizations { get; } =
        [(PersonalOrgUuid, "Personal", null), (OrgUuid, "Team", "team")];

    /// <summary>Every token-endpoint request body, in arrival order.</summary>
    public IReadOnlyList<JsonObject> TokenRequests => [.. _tokenRequests];

    /// <summary>Every access token granted, in order.</summary>
    public IReadOnlyList<string> IssuedAccessTokens => [.. _issuedAccessTokens];

    /// <summary>The scope of the last authorize (browser or cookie).</summary>
    public string? LastAuthorizeScope { get; private set; }

    /// <summary>Successful and failed grants of this type so far ("authorization_code", "refresh_token").</summary>
    public int GrantCount(string grantType) => _grantCounts.GetValueOrDefault(grantType);

    /// <summary>How many times this refresh token was presented (1 = used once, as it should be).</summary>
    public int RefreshCount(string refreshToken) => _refreshCounts.GetValueOrDefault(refreshToken);

    /// <summary>Whether this refresh token may still be used.</summary>
    public bool IsLive(string refreshToken) => _liveRefreshTokens.ContainsKey(refreshToken);

    /// <summary>The next <paramref name="count"/> token grants (either type) fail this way.</summary>
    public void FailNextGrants(int count, FakeOAuthFailure failure)
    {
        _failure = failure;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>A token pair issued without a login, for seeding an account straight into the database.</summary>
    public (string AccessToken, string RefreshToken) IssueTokens() => NewPair();

    public static async Task<FakeOAuthServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeOAuthServer(app);
        app.MapPost("/v1/oauth/token", fake.TokenAsync);
        app.MapGet("/api/organizations", fake.OrganizationsAsync);
        app.MapPost("/v1/oauth/{org}/authorize", fake.CookieAuthorizeAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>
    /// Plays the admin's browser on an auth URL the gateway produced: checks its parameters as the login page would,
    /// remembers the challenge, and returns what the callback page shows, <c>code#state</c>.
    /// </summary>
    public string Authorize(string authUrl)
    {
        var uri = new Uri(authUrl);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Check(query["code"] == "true", "code=true");
        Check(query["client_id"] == ClientId, "client_id");
        Check(query["response_type"] == "code", "response_type");
        Check(query["redirect_uri"] == RedirectUri, "redirect_uri");
        Check(query["code_challenge_method"] == "S256", "code_challenge_method");
        Check(!string.IsNullOrEmpty(query["code_challenge"]) && !string.IsNullOrEmpty(query["state"]), "code_challenge and state");
        var code = IssueCode(query["code_challenge"]!, query["state"]!, query["scope"] ?? "");
        return code + "#" + query["state"];
    }

    /// <summary>The whole callback URL the browser lands on (the other thing an admin may paste).</summary>
    public string AuthorizeToCallbackUrl(string authUrl)
    {
        var pasted = Authorize(authUrl);
        var hash = pasted.IndexOf('#', StringComparison.Ordinal);
        return $"{RedirectUri}?code={Uri.EscapeDataString(pasted[..hash])}&state={Uri.EscapeDataString(pasted[(hash + 1)..])}";
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException("fake OAuth login page refuses the auth URL: bad " + what);
        }
    }

    private string IssueCode(string challenge, string state, string scope)
    {
        LastAuthorizeScope = scope;
        var code = "fake-code-" + Guid.NewGuid().ToString("N");
        _codes[code] = new IssuedCode(challenge, state, scope);
        return code;
    }

    private (string Access, string Refresh) NewPair()
    {
        var n = Interlocked.Increment(ref _serial);
        var access = $"sk-ant-oat01-{AccessTokenWord}-{n}-{Guid.NewGuid():N}";
        var refresh = $"sk-ant-ort01-{n}-{Guid.NewGuid():N}";
        _liveRefreshTokens[refresh] = true;
        _issuedAccessTokens.Enqueue(access);
        return (access, refresh);
    }

    private async Task TokenAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context);
        _tokenRequests.Enqueue(body);
        var grantType = Text(body, "grant_type") ?? "";
        _grantCounts.AddOrUpdate(grantType, 1, (_, n) => n + 1);
        if (grantType == "refresh_token")
        {
            _refreshCounts.AddOrUpdate(Text(body, "refresh_token") ?? "", 1, (_, n) => n + 1);
        }
        if (GrantDelay > TimeSpan.Zero)
        {
            await Task.Delay(GrantDelay, context.RequestAborted);
        }
        if (TakeForcedFailure())
        {
            if (_failure == FakeOAuthFailure.ServerError)
            {
                await WriteAsync(context, 500, new JsonObject { ["error"] = "server_error", ["error_description"] = "fake outage" });
            }
            else
            {
                await OAuthErrorAsync(context, "invalid_grant", "forced by the test");
            }
            return;
        }
        if (Text(body, "client_id") != ClientId)
        {
            await OAuthErrorAsync(context, "invalid_client", "unknown client_id", 401);
            return;
        }
        switch (grantType)
        {
            case "authorization_code":
                await AuthorizationCodeAsync(context, body);
                break;
            case "refresh_token":
                await RefreshTokenAsync(context, body);
                break;
            default:
                await OAuthErrorAsync(context, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
                break;
        }
    }

    private bool TakeForcedFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failuresLeft);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private async Task AuthorizationCodeAsync(HttpContext context, JsonObject body)
    {
        var code = Text(body, "code") ?? "";
        if (!_codes.TryRemove(code, out var issued))
        {
            await OAuthErrorAsync(context, "invalid_grant", "Invalid 'code' in request.");
            return;
        }
        if (Text(body, "redirect_uri") != RedirectUri)
        {
            await OAuthErrorAsync(context, "invalid_grant", "redirect_uri does not match");
            return;
        }
        var verifier = Text(body, "code_verifier") ?? "";
        if (Challenge(verifier) != issued.Challenge)
        {
            await OAuthErrorAsync(context, "invalid_grant", "code_verifier does not match the code_challenge");
            return;
        }
        if (Text(body, "state") is { } state && state != issued.State)
        {
            await OAuthErrorAsync(context, "invalid_grant", "state does not match");
            return;
        }
        await GrantAsync(context, issued.Scope);
    }

    private async Task RefreshTokenAsync(HttpContext context, JsonObject body)
    {
        var refreshToken = Text(body, "refresh_token") ?? "";
        // TryRemove makes "exactly once" hold under concurrency: of two simultaneous uses, one wins.
        if (!_liveRefreshTokens.TryRemove(refreshToken, out _))
        {
            await OAuthErrorAsync(context, "invalid_grant", "Refresh token not found or invalid");
            return;
        }
        await GrantAsync(context, "user:inference user:profile");
    }

    private Task GrantAsync(HttpContext context, string scope)
    {
        var (access, refresh) = NewPair();
        return WriteAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["access_token"] = access,
            ["expires_in"] = ExpiresIn,
            ["refresh_token"] = refresh,
            ["scope"] = scope,
            ["organization"] = new JsonObject { ["uuid"] = OrgUuid, ["name"] = "Team" },
            ["account"] = new JsonObject { ["uuid"] = AccountUuid, ["email_address"] = Email },
        });
    }

    private bool HasSessionCookie(HttpContext context) => context.Request.Cookies["sessionKey"] == SessionKey;

    private async Task OrganizationsAsync(HttpContext context)
    {
        if (!HasSessionCookie(context))
        {
            await WriteAsync(context, 403, new JsonObject { ["error"] = new JsonObject { ["type"] = "permission_error", ["message"] = "Invalid authorization" } });
            return;
        }
        var list = new JsonArray();
        foreach (var (uuid, name, raven) in Organizations)
        {
            list.Add(new JsonObject { ["uuid"] = uuid, ["name"] = name, ["raven_type"] = raven });
        }
        await WriteAsync(context, 200, list);
    }

    private async Task CookieAuthorizeAsync(HttpContext context, string org)
    {
        if (!HasSessionCookie(context))
        {
            await WriteAsync(context, 403, new JsonObject { ["error"] = new JsonObject { ["type"] = "permission_error", ["message"] = "Invalid authorization" } });
            return;
        }
        var body = await ReadJsonAsync(context);
        var challenge = Text(body, "code_challenge");
        var state = Text(body, "state");
        if (Text(body, "client_id") != ClientId || Text(body, "organization_uuid") != org || Text(body, "redirect_uri") != RedirectUri
            || Text(body, "response_type") != "code" || Text(body, "code_challenge_method") != "S256" || challenge is null || state is null)
        {
            await OAuthErrorAsync(context, "invalid_request", "bad authorize request");
            return;
        }
        var code = IssueCode(challenge, state, Text(body, "scope") ?? "");
        await WriteAsync(context, 200, new JsonObject
        {
            ["redirect_uri"] = $"{RedirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}",
        });
    }

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<JsonObject> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static Task OAuthErrorAsync(HttpContext context, string error, string description, int status = 400) =>
        WriteAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record IssuedCode(string Challenge, string State, string Scope);
}

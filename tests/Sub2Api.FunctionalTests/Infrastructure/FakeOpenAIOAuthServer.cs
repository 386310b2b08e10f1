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

/// <summary>
/// A fake ChatGPT (auth.openai.com) OAuth provider on a real Kestrel socket (127.0.0.1, dynamic port), strict where
/// the real one is:
/// <list type="bullet">
/// <item><c>POST /oauth/token</c> takes only <c>application/x-www-form-urlencoded</c> bodies.</item>
/// <item>grant <c>authorization_code</c>: the code must have been issued by <see cref="Authorize"/> and not used yet;
/// <c>client_id</c>, <c>redirect_uri</c> and the PKCE verifier (S256 of it = the challenge seen on authorize) must
/// match.</item>
/// <item>grant <c>refresh_token</c>: each refresh token works exactly once and every grant rotates it; reuse answers
/// 400 <c>{"error":"invalid_grant"}</c>. The scope sent must not contain <c>offline_access</c>.</item>
/// </list>
/// Every grant answers a JWT-shaped <c>id_token</c> whose <c>https://api.openai.com/auth</c> claim carries
/// <see cref="AccountId"/>, <see cref="UserId"/>, <see cref="PlanType"/> and two organizations (the second is the default).
/// </summary>
public sealed class FakeOpenAIOAuthServer : IAsyncDisposable
{
    public const string ClientId = "app_EMoamEEZ73f0CkXaXp7hrann";
    public const string RedirectUri = "http://localhost:1455/auth/callback";
    public const string Email = "codex-owner@example.com";
    public const string AccountId = "c0ffee00-1111-4222-8333-444455556666";
    public const string UserId = "user-FakeChatGptUser01";
    public const string OtherOrgId = "org-NotTheDefault";
    public const string DefaultOrgId = "org-TheDefaultOne";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _liveRefreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _grantCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _tokenRequests = new();
    private readonly ConcurrentQueue<string> _issuedAccessTokens = new();
    private readonly ConcurrentQueue<string> _contentTypes = new();
    private int _failuresLeft;
    private FakeOAuthFailure _failure;
    private int _serial;

    private FakeOpenAIOAuthServer(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The gateway settings that send every ChatGPT OAuth call here.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OAuth:OpenAI:AuthorizeUrl"] = BaseUrl + "/oauth/authorize",
        ["OAuth:OpenAI:TokenUrl"] = BaseUrl + "/oauth/token",
    };

    /// <summary><c>expires_in</c> of every grant (seconds).</summary>
    public long ExpiresIn { get; set; } = 864_000;

    /// <summary>The plan the id_token names; change it to see a refresh renew the stored claims.</summary>
    public string PlanType { get; set; } = "plus";

    /// <summary>Every token-endpoint form body, in arrival order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TokenRequests => [.. _tokenRequests];

    /// <summary>The Content-Type of every token-endpoint request.</summary>
    public IReadOnlyList<string> ContentTypes => [.. _contentTypes];

    /// <summary>Every access token granted, in order.</summary>
    public IReadOnlyList<string> IssuedAccessTokens => [.. _issuedAccessTokens];

    public int GrantCount(string grantType) => _grantCounts.GetValueOrDefault(grantType);

    public bool IsLive(string refreshToken) => _liveRefreshTokens.ContainsKey(refreshToken);

    /// <summary>The next <paramref name="count"/> token grants (either type) fail this way.</summary>
    public void FailNextGrants(int count, FakeOAuthFailure failure)
    {
        _failure = failure;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>
    /// Forgets every request, grant and pending failure and restores the defaults, so one server can serve a whole
    /// test class (tokens already issued stay valid).
    /// </summary>
    public void Reset()
    {
        _tokenRequests.Clear();
        _issuedAccessTokens.Clear();
        _contentTypes.Clear();
        _grantCounts.Clear();
        Volatile.Write(ref _failuresLeft, 0);
        ExpiresIn = 864_000;
        PlanType = "plus";
    }

    /// <summary>A token triple issued without a login, for seeding an account straight into the database.</summary>
    public (string AccessToken, string RefreshToken, string IdToken) IssueTokens() => NewTokens();

    public static async Task<FakeOpenAIOAuthServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeOpenAIOAuthServer(app);
        app.MapPost("/oauth/token", fake.TokenAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>
    /// Plays the admin's browser on an auth URL the gateway produced: checks its parameters as the login page would,
    /// remembers the challenge, and returns the URL the browser lands on (what the admin pastes).
    /// </summary>
    public string Authorize(string authUrl)
    {
        var query = HttpUtility.ParseQueryString(new Uri(authUrl).Query);
        Check(query["response_type"] == "code", "response_type");
        Check(query["client_id"] == ClientId, "client_id");
        Check(!string.IsNullOrEmpty(query["redirect_uri"]), "redirect_uri");
        Check(query["scope"] == "openid profile email offline_access", "scope");
        Check(query["code_challenge_method"] == "S256", "code_challenge_method");
        Check(query["id_token_add_organizations"] == "true", "id_token_add_organizations");
        Check(query["codex_cli_simplified_flow"] == "true", "codex_cli_simplified_flow");
        Check(!string.IsNullOrEmpty(query["code_challenge"]) && !string.IsNullOrEmpty(query["state"]), "code_challenge and state");
        var code = "ac_fake-" + Guid.NewGuid().ToString("N");
        _codes[code] = new IssuedCode(query["code_challenge"]!, query["redirect_uri"]!);
        return $"{query["redirect_uri"]}?code={Uri.EscapeDataString(code)}&scope={Uri.EscapeDataString("openid profile email offline_access")}&state={Uri.EscapeDataString(query["state"]!)}";
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException("fake ChatGPT login page refuses the auth URL: bad " + what);
        }
    }

    private (string Access, string Refresh, string Id) NewTokens()
    {
        var n = Interlocked.Increment(ref _serial);
        var access = $"eyJfake-access.{n}.{Guid.NewGuid():N}";
        var refresh = $"rt_fake-{n}-{Guid.NewGuid():N}";
        _liveRefreshTokens[refresh] = true;
        _issuedAccessTokens.Enqueue(access);
        return (access, refresh, IdToken(PlanType));
    }

    /// <summary>An unsigned JWT with the claims a real ChatGPT id_token carries.</summary>
    public static string IdToken(string planType, string email = Email, string accountId = AccountId)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = "https://auth.openai.com",
            ["aud"] = new JsonArray(ClientId),
            ["email"] = email,
            ["email_verified"] = true,
            ["https://api.openai.com/auth"] = new JsonObject
            {
                ["chatgpt_account_id"] = accountId,
                ["chatgpt_plan_type"] = planType,
                ["chatgpt_user_id"] = UserId,
                ["user_id"] = UserId,
                ["organizations"] = new JsonArray(
                    new JsonObject { ["id"] = OtherOrgId, ["is_default"] = false, ["role"] = "reader", ["title"] = "Other" },
                    new JsonObject { ["id"] = DefaultOrgId, ["is_default"] = true, ["role"] = "owner", ["title"] = "Personal" }),
            },
        };
        return $"{Base64Url(header.ToJsonString())}.{Base64Url(payload.ToJsonString())}.{Base64Url("not-a-real-signature")}";
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task TokenAsync(HttpContext context)
    {
        _contentTypes.Enqueue(context.Request.ContentType ?? "");
        if (!context.Request.HasFormContentType)
        {
            await OAuthErrorAsync(context, "invalid_request", "the body must be application/x-www-form-urlencoded");
            return;
        }
        var form = (await context.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        _tokenRequests.Enqueue(form);
        var grantType = form.GetValueOrDefault("grant_type") ?? "";
        _grantCounts.AddOrUpdate(grantType, 1, (_, n) => n + 1);
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
        if (form.GetValueOrDefault("client_id") != ClientId)
        {
            await OAuthErrorAsync(context, "invalid_client", "unknown client_id", 401);
            return;
        }
        switch (grantType)
        {
            case "authorization_code":
                await AuthorizationCodeAsync(context, form);
                break;
            case "refresh_token":
                await RefreshTokenAsync(context, form);
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

    private async Task AuthorizationCodeAsync(HttpContext context, Dictionary<string, string> form)
    {
        if (!_codes.TryRemove(form.GetValueOrDefault("code") ?? "", out var issued))
        {
            await OAuthErrorAsync(context, "invalid_grant", "Invalid authorization code");
            return;
        }
        if (form.GetValueOrDefault("redirect_uri") != issued.RedirectUri)
        {
            await OAuthErrorAsync(context, "invalid_grant", "redirect_uri does not match");
            return;
        }
        if (Challenge(form.GetValueOrDefault("code_verifier") ?? "") != issued.Challenge)
        {
            await OAuthErrorAsync(context, "invalid_grant", "code_verifier does not match the code_challenge");
            return;
        }
        await GrantAsync(context);
    }

    private async Task RefreshTokenAsync(HttpContext context, Dictionary<string, string> form)
    {
        if ((form.GetValueOrDefault("scope") ?? "").Contains("offline_access", StringComparison.Ordinal))
        {
            await OAuthErrorAsync(context, "invalid_scope", "offline_access cannot be asked on a refresh");
            return;
        }
        // TryRemove makes "exactly once" hold under concurrency: of two simultaneous uses, one wins.
        if (!_liveRefreshTokens.TryRemove(form.GetValueOrDefault("refresh_token") ?? "", out _))
        {
            await OAuthErrorAsync(context, "invalid_grant", "Refresh token not found or already used");
            return;
        }
        await GrantAsync(context);
    }

    private Task GrantAsync(HttpContext context)
    {
        var (access, refresh, id) = NewTokens();
        return WriteAsync(context, 200, new JsonObject
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["id_token"] = id,
            ["expires_in"] = ExpiresIn,
            ["token_type"] = "Bearer",
            ["scope"] = "openid profile email offline_access",
        });
    }

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

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

    private sealed record IssuedCode(string Challenge, string RedirectUri);
}

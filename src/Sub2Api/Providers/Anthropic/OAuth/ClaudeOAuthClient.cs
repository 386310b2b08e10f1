using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sub2Api.Accounts;
using Sub2Api.Infrastructure.Http;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// The HTTP side of Claude OAuth: code exchange, refresh, and the claude.ai cookie flow, each through the chosen
/// proxy (an account's proxy is also its egress IP, and the login must come from there too). Failures are
/// <see cref="ClaudeOAuthException"/>s that say whether retrying can help. Nothing secret is logged: not the
/// tokens, codes, verifiers or the cookie, and an upstream error description is scrubbed of what was sent.
/// </summary>
internal sealed partial class ClaudeOAuthClient(
    UpstreamHttpClients clients,
    IOptionsMonitor<ClaudeOAuthOptions> options,
    TimeProvider time,
    ILogger<ClaudeOAuthClient> logger)
{
    private const int MaxAnswerBytes = 1 << 20;
    // The token endpoint sees what Claude Code's own HTTP stack sends.
    private const string TokenUserAgent = "axios/1.8.4";
    private const string BrowserUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>
    /// Exchanges an authorization code (without its <c>#state</c> part) for tokens. A setup token asks for a
    /// year's lifetime; upstream decides what it grants.
    /// </summary>
    public async Task<ClaudeTokenSet> ExchangeCodeAsync(string code, string verifier, string state, bool setupToken, string? proxyUrl,
        CancellationToken ct)
    {
        var o = options.CurrentValue;
        var body = new JsonObject
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = o.ClientId,
            ["code"] = code,
            ["redirect_uri"] = o.RedirectUri,
            ["code_verifier"] = verifier,
            ["state"] = state,
        };
        if (setupToken)
        {
            body["expires_in"] = o.SetupTokenExpiresInSeconds;
        }
        var tokens = await PostTokenAsync("token exchange", body, proxyUrl, [code, verifier], ct);
        Log.Exchanged(logger, setupToken, tokens.ExpiresIn);
        return tokens;
    }

    /// <summary>
    /// Trades a refresh token for a new token set. The refresh token rotates: the old one is dead once this returns,
    /// so the caller must store the returned one (with the new access token) before anyone else refreshes.
    /// </summary>
    public Task<ClaudeTokenSet> RefreshAsync(string refreshToken, string? proxyUrl, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var body = new JsonObject
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = o.ClientId,
        };
        return PostTokenAsync("token refresh", body, proxyUrl, [refreshToken], ct);
    }

    /// <summary>The organizations of the claude.ai login behind a <c>sessionKey</c> cookie.</summary>
    public async Task<IReadOnlyList<ClaudeOrganization>> GetOrganizationsAsync(string sessionKey, string? proxyUrl, CancellationToken ct)
    {
        const string operation = "organizations";
        var o = options.CurrentValue;
        using var request = new HttpRequestMessage(HttpMethod.Get, o.WebBaseUrl.TrimEnd('/') + "/api/organizations");
        AddBrowserHeaders(request, o, sessionKey);
        var (status, answer) = await SendAsync(operation, request, proxyUrl, ct);
        if (status is < 200 or >= 300)
        {
            throw Refusal(operation, status, answer, [sessionKey]);
        }
        var organizations = new List<ClaudeOrganization>();
        if (OAuthAnswers.Parse(answer) is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                if (OAuthAnswers.Text(item, "uuid") is { } uuid)
                {
                    organizations.Add(new ClaudeOrganization(uuid, OAuthAnswers.Text(item, "name"), OAuthAnswers.Text(item, "raven_type")));
                }
            }
        }
        if (organizations.Count == 0)
        {
            throw new ClaudeOAuthException(ClaudeOAuthErrorKind.Rejected, operation, status, null,
                "the sessionKey's login has no organization");
        }
        return organizations;
    }

    /// <summary>A Team organization when the login has one (that is where the subscription seat is), else the first.</summary>
    public static ClaudeOrganization PickOrganization(IReadOnlyList<ClaudeOrganization> organizations) =>
        organizations.FirstOrDefault(org => org.RavenType == "team") ?? organizations[0];

    /// <summary>
    /// Authorizes Claude Code for an organization with the cookie instead of a browser, and returns the code and the
    /// state from the <c>redirect_uri</c> claude.ai answers with.
    /// </summary>
    public async Task<(string Code, string? State)> AuthorizeWithCookieAsync(string sessionKey, string orgUuid, string scope,
        string challenge, string state, string? proxyUrl, CancellationToken ct)
    {
        const string operation = "cookie authorize";
        var o = options.CurrentValue;
        var body = new JsonObject
        {
            ["response_type"] = "code",
            ["client_id"] = o.ClientId,
            ["organization_uuid"] = orgUuid,
            ["redirect_uri"] = o.RedirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        var url = $"{o.WebBaseUrl.TrimEnd('/')}/v1/oauth/{Uri.EscapeDataString(orgUuid)}/authorize";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        AddBrowserHeaders(request, o, sessionKey);
        var (status, answer) = await SendAsync(operation, request, proxyUrl, ct);
        if (status is < 200 or >= 300)
        {
            throw Refusal(operation, status, answer, [sessionKey, challenge, state]);
        }
        var redirect = OAuthAnswers.Parse(answer) is JsonObject result ? OAuthAnswers.Text(result, "redirect_uri") : null;
        if (redirect is null || !Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri))
        {
            throw new ClaudeOAuthException(ClaudeOAuthErrorKind.Rejected, operation, status, null, "the answer has no redirect_uri");
        }
        var query = System.Web.HttpUtility.ParseQueryString(redirectUri.Query);
        if (string.IsNullOrEmpty(query["code"]))
        {
            throw new ClaudeOAuthException(ClaudeOAuthErrorKind.Rejected, operation, status, query["error"],
                "the redirect_uri carries no authorization code" + (query["error"] is { } error ? $" ({error})" : ""));
        }
        return (query["code"]!, query["state"]);
    }

    private static void AddBrowserHeaders(HttpRequestMessage request, ClaudeOAuthOptions o, string sessionKey)
    {
        // The handlers run without a cookie container (we relay bytes), so the cookie is a plain header.
        request.Headers.TryAddWithoutValidation("Cookie", "sessionKey=" + sessionKey);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en-US,en;q=0.9");
        request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
        request.Headers.TryAddWithoutValidation("Origin", o.WebBaseUrl.TrimEnd('/'));
        request.Headers.TryAddWithoutValidation("Referer", o.WebBaseUrl.TrimEnd('/') + "/new");
        request.Headers.TryAddWithoutValidation("User-Agent", BrowserUserAgent);
    }

    private async Task<ClaudeTokenSet> PostTokenAsync(string operation, JsonObject body, string? proxyUrl, string[] secrets,
        CancellationToken ct)
    {
        var o = options.CurrentValue;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
        request.Headers.TryAddWithoutValidation("User-Agent", TokenUserAgent);
        var (status, answer) = await SendAsync(operation, request, proxyUrl, ct);
        if (status is < 200 or >= 300)
        {
            throw Refusal(operation, status, answer, secrets);
        }
        if (OAuthAnswers.Parse(answer) is not JsonObject json || OAuthAnswers.Text(json, "access_token") is not { } accessToken)
        {
            throw new ClaudeOAuthException(ClaudeOAuthErrorKind.Rejected, operation, status, null, "the answer has no access_token");
        }
        var expiresIn = json["expires_in"] is JsonValue v && v.TryGetValue<long>(out var seconds) ? seconds : 0;
        return new ClaudeTokenSet(
            accessToken,
            OAuthAnswers.Text(json, "token_type") ?? "Bearer",
            expiresIn,
            time.GetUtcNow().AddSeconds(expiresIn),
            OAuthAnswers.Text(json, "refresh_token"),
            OAuthAnswers.Text(json, "scope"),
            json["organization"] is JsonObject org ? OAuthAnswers.Text(org, "uuid") : null,
            json["account"] is JsonObject account ? OAuthAnswers.Text(account, "uuid") : null,
            json["account"] is JsonObject owner ? OAuthAnswers.Text(owner, "email_address") : null);
    }

    /// <summary>Sends with the configured time limit; no answer at all is a transient failure.</summary>
    private async Task<(int Status, byte[] Answer)> SendAsync(string operation, HttpRequestMessage request, string? proxyUrl,
        CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.RequestTimeoutSeconds)));
        try
        {
            using var response = await clients.For(proxyUrl).SendAsync(request, timeout.Token);
            var answer = await ReadCappedAsync(response.Content, timeout.Token);
            return ((int)response.StatusCode, answer);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? "timed out" : "could not reach the server (" + e.GetType().Name + ")";
            Log.Unreachable(logger, operation, reason);
            throw new ClaudeOAuthException(ClaudeOAuthErrorKind.Transient, operation, 0, null, reason, e);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxAnswerBytes && (read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// An HTTP refusal as an exception: the OAuth <c>error</c> / <c>error_description</c> (or Anthropic's
    /// <c>error.type</c> / <c>error.message</c>), with anything we sent cut out of the description.
    /// </summary>
    private ClaudeOAuthException Refusal(string operation, int status, byte[] answer, string[] secrets)
    {
        var (code, description) = OAuthAnswers.ReadRefusal(answer, secrets);
        var kind = ClaudeOAuthException.Classify(status, code, description);
        Log.Refused(logger, operation, status, code ?? "-", kind);
        var message = $"upstream answered {status}" + (code is null ? "" : $" {code}") + (description is null ? "" : $": {description}");
        return new ClaudeOAuthException(kind, operation, status, code, message);
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "Claude OAuth: code exchanged (setup token: {SetupToken}, expires in {ExpiresIn} s)")]
        public static partial void Exchanged(ILogger logger, bool setupToken, long expiresIn);

        [LoggerMessage(1101, LogLevel.Warning, "Claude OAuth: {Operation} refused with {Status} {ErrorCode} ({Kind})")]
        public static partial void Refused(ILogger logger, string operation, int status, string errorCode, ClaudeOAuthErrorKind kind);

        [LoggerMessage(1102, LogLevel.Warning, "Claude OAuth: {Operation} failed: {Reason}")]
        public static partial void Unreachable(ILogger logger, string operation, string reason);
    }
}

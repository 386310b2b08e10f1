using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Security;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// The admin's ways to log a Claude subscription in: the browser flow (auth URL → the admin logs in → pastes
/// <c>code#state</c> or the callback URL), the same for a setup token, and the claude.ai <c>sessionKey</c> cookie
/// flow that does the browser's part itself. Each ends with the token info for the admin's app, which then creates
/// or re-authorises the account. A client mistake is an <see cref="ApiException"/>; an upstream refusal is a
/// <see cref="ClaudeOAuthException"/>.
/// </summary>
internal sealed partial class ClaudeOAuthFlows(
    ClaudeOAuthClient client,
    IClaudeOAuthSessionStore sessions,
    IDbContextFactory<Sub2ApiDbContext> dbFactory,
    SecretProtector protector,
    IOptionsMonitor<ClaudeOAuthOptions> options,
    TimeProvider time,
    ILogger<ClaudeOAuthFlows> logger)
{
    /// <summary>Starts a browser flow: a new PKCE pair and state, kept in a session the exchange takes.</summary>
    public async Task<(string AuthUrl, string SessionId)> StartAsync(bool setupToken, long? proxyId, CancellationToken ct)
    {
        // Checked now so a typo in proxy_id shows at once, not after the admin went through the login.
        await ProxyUrlAsync(proxyId, ct);
        var o = options.CurrentValue;
        var verifier = ClaudePkce.NewVerifier();
        var state = ClaudePkce.NewState();
        var sessionId = await sessions.CreateAsync(
            new ClaudeOAuthSession(verifier, state, setupToken, proxyId is > 0 ? proxyId : null, time.GetUtcNow()), ct);
        var url = ClaudePkce.AuthorizeUrl(o, setupToken ? o.SetupTokenScope : o.Scope, ClaudePkce.Challenge(verifier), state);
        return (url, sessionId);
    }

    /// <summary>
    /// Finishes a browser flow with what the admin pasted. The session is taken first and is gone afterwards whatever
    /// happens, so a pasted code can be tried once per auth URL.
    /// </summary>
    public async Task<ClaudeTokenInfo> ExchangeAsync(string? sessionId, string? pasted, long? proxyId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sessionId))
        {
            throw ApiException.BadRequest("session_id is required");
        }
        if (ParsePasted(pasted) is not { } parsed)
        {
            throw ApiException.BadRequest(
                "code is required: paste the code#state shown after logging in, or the whole callback URL");
        }
        // A proxy given now replaces the one chosen when the URL was made (the original's rule).
        var proxyUrl = proxyId is > 0 ? await ProxyUrlAsync(proxyId, ct) : null;
        var session = await sessions.TakeAsync(sessionId.Trim(), ct)
            ?? throw new ApiException(400, "OAUTH_SESSION_INVALID",
                "OAuth session not found or expired (a session lasts 30 minutes and is used once): generate a new authorization URL");
        if (parsed.State is { } state && !FixedTimeEquals(state, session.State))
        {
            throw new ApiException(400, "OAUTH_STATE_MISMATCH",
                "the pasted code belongs to another authorization attempt (its state does not match this session): generate a new authorization URL");
        }
        proxyUrl ??= await ProxyUrlAsync(session.ProxyId, ct);
        var tokens = await client.ExchangeCodeAsync(parsed.Code, session.Verifier, session.State, session.SetupToken, proxyUrl, ct);
        return tokens.ToTokenInfo();
    }

    /// <summary>
    /// The cookie flow: organizations of the login behind the <c>sessionKey</c> (a Team one preferred), an authorize
    /// call for that organization with a fresh PKCE pair, then the exchange.
    /// </summary>
    public async Task<ClaudeTokenInfo> CookieAsync(string? sessionKey, bool setupToken, long? proxyId, CancellationToken ct)
    {
        var cookie = NormalizeSessionKey(sessionKey)
            ?? throw ApiException.BadRequest("code is required: the value of the claude.ai sessionKey cookie (sk-ant-sid…)");
        var proxyUrl = await ProxyUrlAsync(proxyId, ct);
        var o = options.CurrentValue;
        var organization = ClaudeOAuthClient.PickOrganization(await client.GetOrganizationsAsync(cookie, proxyUrl, ct));
        var verifier = ClaudePkce.NewVerifier();
        var state = ClaudePkce.NewState();
        var (code, returnedState) = await client.AuthorizeWithCookieAsync(cookie, organization.Uuid,
            setupToken ? o.SetupTokenScope : o.CookieScope, ClaudePkce.Challenge(verifier), state, proxyUrl, ct);
        if (returnedState is not null && !FixedTimeEquals(returnedState, state))
        {
            throw new ClaudeOAuthException(ClaudeOAuthErrorKind.Rejected, "cookie authorize", 200, null,
                "the returned state does not match the one sent");
        }
        var tokens = await client.ExchangeCodeAsync(code, verifier, state, setupToken, proxyUrl, ct);
        Log.CookieFlow(logger, setupToken, organization.RavenType ?? "personal");
        // The token answer normally names the organization; if not, the one the cookie flow chose is it.
        return (tokens.OrgUuid is null ? tokens with { OrgUuid = organization.Uuid } : tokens).ToTokenInfo();
    }

    /// <summary>
    /// What the admin pasted: <c>code#state</c>, a bare code, or the whole callback URL
    /// (<c>…/oauth/code/callback?code=…&amp;state=…</c>). Null when there is no code in it.
    /// </summary>
    internal static (string Code, string? State)? ParsePasted(string? pasted)
    {
        var text = pasted?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if ((text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            var query = System.Web.HttpUtility.ParseQueryString(url.Query);
            var fromUrl = query["code"];
            if (string.IsNullOrWhiteSpace(fromUrl))
            {
                return null;
            }
            // Some callback pages carry the state after '#' inside the code value instead of as its own parameter.
            return Split(fromUrl) is var (code, embedded) ? (code, NullIfEmpty(query["state"]) ?? embedded) : null;
        }
        return Split(text);
    }

    private static (string Code, string? State)? Split(string value)
    {
        var hash = value.IndexOf('#', StringComparison.Ordinal);
        var code = (hash < 0 ? value : value[..hash]).Trim();
        var state = hash < 0 ? null : NullIfEmpty(value[(hash + 1)..].Trim());
        return code.Length == 0 || code.Any(char.IsWhiteSpace) ? null : (code, state);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The cookie value alone: a pasted <c>sessionKey=…</c> is accepted; anything unfit for a header is refused.</summary>
    internal static string? NormalizeSessionKey(string? sessionKey)
    {
        var value = sessionKey?.Trim();
        if (value?.StartsWith("sessionKey=", StringComparison.Ordinal) == true)
        {
            value = value["sessionKey=".Length..].Trim();
        }
        return string.IsNullOrEmpty(value) || value.Any(c => c <= ' ' || c >= 127 || c is ';' or ',' or '"') ? null : value;
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>The proxy's URL, null for none (0 or null); a proxy that does not exist is the admin's mistake.</summary>
    private async Task<string?> ProxyUrlAsync(long? proxyId, CancellationToken ct)
    {
        if (proxyId is not > 0)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proxy = await db.Proxies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == proxyId, ct)
            ?? throw ApiException.BadRequest($"proxy_id: proxy {proxyId} does not exist");
        return ProxyUrls.Build(proxy, protector);
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Information, "Claude OAuth: cookie flow completed (setup token: {SetupToken}, organization: {OrganizationType})")]
        public static partial void CookieFlow(ILogger logger, bool setupToken, string organizationType);
    }
}

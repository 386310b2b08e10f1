using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Security;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>What the admin pasted after the ChatGPT login, taken apart.</summary>
internal sealed record OpenAIPastedCallback(string? Code, string? State, string? Error);

/// <summary>
/// The admin's way to log a ChatGPT (Codex) subscription in: auth URL → the admin logs in → the browser lands on
/// Codex CLI's localhost callback, which nothing serves → the admin pastes that URL → exchange. Also a plain refresh
/// of a refresh token the admin holds. A client mistake is an <see cref="ApiException"/>; an upstream refusal is an
/// <see cref="OpenAIOAuthException"/>.
/// </summary>
internal sealed class OpenAIOAuthFlows(
    OpenAIOAuthClient client,
    IOpenAIOAuthSessionStore sessions,
    IDbContextFactory<Sub2ApiDbContext> dbFactory,
    SecretProtector protector,
    IOptionsMonitor<OpenAIOAuthOptions> options,
    TimeProvider time)
{
    /// <summary>Starts a login: a new PKCE pair and state, kept in a session the exchange takes.</summary>
    public async Task<(string AuthUrl, string SessionId)> StartAsync(long? proxyId, string? redirectUri, CancellationToken ct)
    {
        // Checked now so a typo shows at once, not after the admin went through the login.
        await ProxyUrlAsync(proxyId, ct);
        var o = options.CurrentValue;
        var redirect = string.IsNullOrWhiteSpace(redirectUri) ? o.RedirectUri : redirectUri.Trim();
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw ApiException.BadRequest("redirect_uri must be an absolute http(s) URL");
        }
        var verifier = OpenAIPkce.NewVerifier();
        var state = OpenAIPkce.NewState();
        var sessionId = await sessions.CreateAsync(
            new OpenAIOAuthSession(verifier, state, redirect, proxyId is > 0 ? proxyId : null, time.GetUtcNow()), ct);
        return (OpenAIPkce.AuthorizeUrl(o, redirect, OpenAIPkce.Challenge(verifier), state), sessionId);
    }

    /// <summary>
    /// Finishes a login with what the admin pasted (the callback URL, or the bare code with <paramref name="state"/>
    /// beside it). The session is taken first and is gone afterwards whatever happens, so a code can be tried once per
    /// auth URL.
    /// </summary>
    public async Task<OpenAITokenSet> ExchangeAsync(string? sessionId, string? pasted, string? state, long? proxyId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sessionId))
        {
            throw ApiException.BadRequest("session_id is required");
        }
        var callback = ParsePasted(pasted);
        if (callback.Error is { } error)
        {
            throw new ApiException(400, "OAUTH_LOGIN_REFUSED",
                $"the login did not complete ({error}): generate a new authorization URL and log in again");
        }
        if (callback.Code is not { } code)
        {
            throw ApiException.BadRequest(
                "code is required: paste the whole URL the browser shows after logging in (http://localhost:1455/auth/callback?code=…&state=…), or the code alone");
        }
        var given = string.IsNullOrWhiteSpace(state) ? null : state.Trim();
        if (callback.State is not null && given is not null && !FixedTimeEquals(callback.State, given))
        {
            throw new ApiException(400, "OAUTH_STATE_MISMATCH", "the state beside the code differs from the one in the pasted URL");
        }
        // A proxy given now replaces the one chosen when the URL was made (the original's rule).
        var proxyUrl = proxyId is > 0 ? await ProxyUrlAsync(proxyId, ct) : null;
        var session = await sessions.TakeAsync(sessionId.Trim(), ct)
            ?? throw new ApiException(400, "OAUTH_SESSION_INVALID",
                "OAuth session not found or expired (a session lasts 30 minutes and is used once): generate a new authorization URL");
        if ((callback.State ?? given) is { } pastedState && !FixedTimeEquals(pastedState, session.State))
        {
            throw new ApiException(400, "OAUTH_STATE_MISMATCH",
                "the pasted code belongs to another authorization attempt (its state does not match this session): generate a new authorization URL");
        }
        proxyUrl ??= await ProxyUrlAsync(session.ProxyId, ct);
        return await client.ExchangeCodeAsync(code, session.Verifier, session.RedirectUri, proxyUrl, ct);
    }

    /// <summary>Refreshes a refresh token the admin pasted (e.g. from Codex CLI's auth.json) to check it and read its login.</summary>
    public async Task<OpenAITokenSet> RefreshAsync(string? refreshToken, long? proxyId, CancellationToken ct)
    {
        var token = refreshToken?.Trim();
        if (string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace))
        {
            throw ApiException.BadRequest("refresh_token is required");
        }
        return await client.RefreshAsync(token, await ProxyUrlAsync(proxyId, ct), ct);
    }

    /// <summary>
    /// What the admin pasted: the whole callback URL (<c>http://localhost:1455/auth/callback?code=…&amp;state=…</c>), just
    /// its query, or a bare code. A callback that carries <c>error=…</c> instead of a code says the login was refused.
    /// </summary>
    internal static OpenAIPastedCallback ParsePasted(string? pasted)
    {
        var text = pasted?.Trim() ?? "";
        if (text.Length == 0)
        {
            return new OpenAIPastedCallback(null, null, null);
        }
        var query = QueryOf(text);
        if (query is null)
        {
            // A bare code: one token without spaces or URL punctuation.
            return text.Any(c => char.IsWhiteSpace(c) || c is '?' or '&' or '=' or '/')
                ? new OpenAIPastedCallback(null, null, null)
                : new OpenAIPastedCallback(text, null, null);
        }
        var values = System.Web.HttpUtility.ParseQueryString(query);
        return new OpenAIPastedCallback(NullIfBlank(values["code"]), NullIfBlank(values["state"]), NullIfBlank(values["error"]));
    }

    /// <summary>The query part of a pasted URL or query string; null when the text is neither.</summary>
    private static string? QueryOf(string text)
    {
        var question = text.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            var query = text[(question + 1)..];
            var hash = query.IndexOf('#', StringComparison.Ordinal);
            return hash >= 0 ? query[..hash] : query;
        }
        return text.StartsWith("code=", StringComparison.Ordinal) || text.Contains("&code=", StringComparison.Ordinal)
            || text.StartsWith("error=", StringComparison.Ordinal) ? text : null;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

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
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>Body of <c>generate-auth-url</c> / <c>generate-setup-token-url</c> (may be empty).</summary>
internal sealed record ClaudeAuthUrlRequest(long? ProxyId);

/// <summary>An auth URL for the admin to open, and the session the exchange names.</summary>
internal sealed record ClaudeAuthUrlResponse(string AuthUrl, string SessionId);

/// <summary>
/// Body of the exchange and cookie routes. For <c>exchange-*</c>, <c>code</c> is the pasted <c>code#state</c> or callback
/// URL; for <c>*cookie-auth</c> it is the claude.ai <c>sessionKey</c> cookie (the original's web app sends it there).
/// </summary>
internal sealed record ClaudeExchangeRequest(string? SessionId, string? Code, long? ProxyId)
{
    public override string ToString() => $"ClaudeExchangeRequest {{ SessionId = {SessionId}, ProxyId = {ProxyId} }}";
}

/// <summary>
/// The Claude OAuth onboarding routes under <c>/api/v1/admin/accounts</c>, with the original's paths and shapes. They
/// answer the token info once, in clear, to the admin who ran the flow; the account made from it shows it masked.
/// </summary>
internal static class ClaudeOAuthApi
{
    public static void MapClaudeOAuth(this RouteGroupBuilder admin)
    {
        var accounts = admin.MapGroup("/accounts");
        accounts.MapPost("/generate-auth-url", (ClaudeOAuthFlows flows, CancellationToken ct,
            [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ClaudeAuthUrlRequest? req) => StartAsync(flows, false, req, ct));
        accounts.MapPost("/generate-setup-token-url", (ClaudeOAuthFlows flows, CancellationToken ct,
            [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ClaudeAuthUrlRequest? req) => StartAsync(flows, true, req, ct));
        // The setup-token flag travels in the session, so both exchange routes do the same thing.
        accounts.MapPost("/exchange-code", ExchangeAsync);
        accounts.MapPost("/exchange-setup-token-code", ExchangeAsync);
        accounts.MapPost("/cookie-auth", (ClaudeExchangeRequest req, ClaudeOAuthFlows flows, CancellationToken ct) =>
            UpstreamAsync(() => flows.CookieAsync(req.Code, setupToken: false, req.ProxyId, ct)));
        accounts.MapPost("/setup-token-cookie-auth", (ClaudeExchangeRequest req, ClaudeOAuthFlows flows, CancellationToken ct) =>
            UpstreamAsync(() => flows.CookieAsync(req.Code, setupToken: true, req.ProxyId, ct)));
    }

    private static async Task<IResult> StartAsync(ClaudeOAuthFlows flows, bool setupToken, ClaudeAuthUrlRequest? req, CancellationToken ct)
    {
        var (url, sessionId) = await flows.StartAsync(setupToken, req?.ProxyId, ct);
        return Api.Ok(new ClaudeAuthUrlResponse(url, sessionId));
    }

    private static Task<IResult> ExchangeAsync(ClaudeExchangeRequest req, ClaudeOAuthFlows flows, CancellationToken ct) =>
        UpstreamAsync(() => flows.ExchangeAsync(req.SessionId, req.Code, req.ProxyId, ct));

    /// <summary>
    /// Runs a flow step that calls upstream. A refusal (bad code, dead cookie, invalid_grant) is a 400 naming the
    /// upstream's status and error code; an unreachable or failing upstream is a 502. Never a token in either.
    /// </summary>
    private static async Task<IResult> UpstreamAsync(Func<Task<ClaudeTokenInfo>> step)
    {
        try
        {
            return Api.Ok(await step());
        }
        catch (ClaudeOAuthException e)
        {
            var metadata = new Dictionary<string, string> { ["upstream_status"] = e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (e.ErrorCode is { } code)
            {
                metadata["upstream_error"] = code;
            }
            return e.IsTransient
                ? Api.Error(502, "OAUTH_UPSTREAM_UNAVAILABLE", e.Message, metadata)
                : Api.Error(400, "OAUTH_UPSTREAM_REFUSED", e.Message, metadata);
        }
    }
}

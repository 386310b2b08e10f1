using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Accounts;
using Sub2Api.Admin.Accounts;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Security;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>Body of <c>generate-auth-url</c> (may be empty).</summary>
internal sealed record OpenAIAuthUrlRequest(long? ProxyId, string? RedirectUri);

/// <summary>An auth URL for the admin to open, and the session the exchange names.</summary>
internal sealed record OpenAIAuthUrlResponse(string AuthUrl, string SessionId);

/// <summary>
/// Body of <c>exchange-code</c>: <c>code</c> is the pasted callback URL or the bare code (then <c>state</c> may come
/// beside it).
/// </summary>
internal sealed record OpenAIExchangeRequest(string? SessionId, string? Code, string? State, long? ProxyId)
{
    public override string ToString() => $"OpenAIExchangeRequest {{ SessionId = {SessionId}, ProxyId = {ProxyId} }}";
}

/// <summary>Body of <c>refresh-token</c>; <c>rt</c> is the original's alias of <c>refresh_token</c>.</summary>
internal sealed record OpenAIRefreshTokenRequest(string? RefreshToken, string? Rt, long? ProxyId)
{
    public override string ToString() => $"OpenAIRefreshTokenRequest {{ ProxyId = {ProxyId} }}";
}

/// <summary>Body of <c>create-from-oauth</c>: the exchange, plus the fields of an account create.</summary>
internal sealed record OpenAICreateFromOAuthRequest(
    string? SessionId,
    string? Code,
    string? State,
    long? ProxyId,
    string? Name,
    string? Notes,
    JsonElement? Extra,
    int? Concurrency,
    int? Priority,
    decimal? RateMultiplier,
    List<long>? GroupIds,
    long? ExpiresAt,
    bool? AutoPauseOnExpired,
    bool? Schedulable)
{
    public override string ToString() => $"OpenAICreateFromOAuthRequest {{ SessionId = {SessionId}, Name = {Name} }}";
}

/// <summary>
/// The ChatGPT (Codex) OAuth routes under <c>/api/v1/admin/openai</c>, with the original's paths and shapes. The
/// exchange and refresh routes answer the token info once, in clear, to the admin who ran them; an account made from
/// it only ever shows it masked.
/// </summary>
internal static class OpenAIOAuthApi
{
    private const string DefaultAccountName = "OpenAI OAuth Account";

    public static void MapOpenAIOAuth(this RouteGroupBuilder admin)
    {
        var openai = admin.MapGroup("/openai");
        openai.MapPost("/generate-auth-url", (OpenAIOAuthFlows flows, CancellationToken ct,
            [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OpenAIAuthUrlRequest? req) => GenerateAsync(flows, req, ct));
        openai.MapPost("/exchange-code", (OpenAIExchangeRequest req, OpenAIOAuthFlows flows, CancellationToken ct) =>
            UpstreamAsync(async () => Api.Ok((await flows.ExchangeAsync(req.SessionId, req.Code, req.State, req.ProxyId, ct)).ToTokenInfo())));
        openai.MapPost("/refresh-token", (OpenAIRefreshTokenRequest req, OpenAIOAuthFlows flows, CancellationToken ct) =>
            UpstreamAsync(async () => Api.Ok((await flows.RefreshAsync(
                string.IsNullOrWhiteSpace(req.RefreshToken) ? req.Rt : req.RefreshToken, req.ProxyId, ct)).ToTokenInfo())));
        openai.MapPost("/accounts/{id}/refresh", RefreshAccountAsync);
        openai.MapPost("/create-from-oauth", CreateFromOAuthAsync);
    }

    private static async Task<IResult> GenerateAsync(OpenAIOAuthFlows flows, OpenAIAuthUrlRequest? req, CancellationToken ct)
    {
        var (url, sessionId) = await flows.StartAsync(req?.ProxyId, req?.RedirectUri, ct);
        return Api.Ok(new OpenAIAuthUrlResponse(url, sessionId));
    }

    /// <summary>The admin's refresh of one OpenAI OAuth account: the shared locked refresh, after checking it is one.</summary>
    private static async Task<IResult> RefreshAccountAsync(string id, Sub2ApiDbContext db, TokenRefreshService tokens, AccountHealth health,
        CredentialsCodec codec, IConcurrencySlots slots, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var accountId) || accountId <= 0)
        {
            return Api.BadRequest("id must be an account id");
        }
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => new { a.Platform, a.Type }).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return Api.NotFound($"account {accountId} not found");
        }
        if (account.Platform != Platforms.OpenAI || account.Type != AccountTypes.OAuth)
        {
            return Api.BadRequest($"account {accountId} is a {account.Platform} {account.Type} account; this route refreshes OpenAI OAuth accounts");
        }
        return await AccountRefreshApi.RefreshAsync(id, db, tokens, health, codec, slots, ct);
    }

    /// <summary>
    /// Exchange and create in one step. Everything the admin typed is checked before the exchange: the session and its
    /// code are spent by it, so a typo in a group id must not cost the login.
    /// </summary>
    private static async Task<IResult> CreateFromOAuthAsync(OpenAICreateFromOAuthRequest req, OpenAIOAuthFlows flows, Sub2ApiDbContext db,
        CredentialsCodec codec, IConcurrencySlots slots, CancellationToken ct)
    {
        var account = new AccountRequest(string.IsNullOrWhiteSpace(req.Name) ? null : req.Name, req.Notes, Platforms.OpenAI,
            AccountTypes.OAuth, null, req.Extra, req.ProxyId, req.Concurrency, req.Priority, req.RateMultiplier, req.GroupIds,
            req.ExpiresAt, req.AutoPauseOnExpired, req.Schedulable, null);
        var error = AccountRules.ReadObjects(account, out _, out var extra)
            ?? AccountRules.CheckFields(account, creating: false)
            ?? await AccountRules.CheckReferencesAsync(db, Platforms.OpenAI, req.ProxyId, req.GroupIds, ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        return await UpstreamAsync(async () =>
        {
            var tokens = await flows.ExchangeAsync(req.SessionId, req.Code, req.State, req.ProxyId, ct);
            var credentials = tokens.ToCredentials();
            if (AccountRules.CheckCredentials(AccountTypes.OAuth, credentials) is { } invalid)
            {
                return Api.BadRequest(invalid);
            }
            var name = account.Name?.Trim() ?? tokens.Claims.Email ?? DefaultAccountName;
            var created = new Account { Name = name.Length > 100 ? name[..100] : name, Platform = Platforms.OpenAI, Type = AccountTypes.OAuth };
            AccountRules.Apply(created, account with { Name = null }, credentials, extra, codec, _ => false);
            db.Accounts.Add(created);
            await db.SaveChangesAsync(ct);
            var dto = AccountDto.From(created, CredentialsCodec.Mask(credentials));
            return Api.Ok((await AccountReferences.CompleteAsync([dto], db, slots, ct))[0]);
        });
    }

    /// <summary>
    /// Runs a step that calls the token endpoint. A refusal (bad code, invalid_grant) is a 400 naming the upstream's
    /// status and error code; an unreachable or failing upstream is a 502. Never a token in either.
    /// </summary>
    private static async Task<IResult> UpstreamAsync(Func<Task<IResult>> step)
    {
        try
        {
            return await step();
        }
        catch (OpenAIOAuthException e)
        {
            var metadata = new Dictionary<string, string> { ["upstream_status"] = e.Status.ToString(CultureInfo.InvariantCulture) };
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

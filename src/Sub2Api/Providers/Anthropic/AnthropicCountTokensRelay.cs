using Sub2Api.Auth;
using Sub2Api.Data.Entities;
using Sub2Api.Configuration;
using Sub2Api.Relay;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.StickySessions;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c>: a billing-eligible caller gets the upstream's count. No concurrency
/// slot and no usage row (SPEC §2.2); the sticky account is preferred so the count matches its model.
/// </summary>
internal sealed class AnthropicCountTokensRelay(ApiKeyAuthenticator authenticator, RequestReader reader, AccountPool pool,
    AccountHealth health, IStickySessionStore sticky, UpstreamForwarder forwarder, RunMode runMode, TimeProvider time)
{
    private static readonly RelayRoute Route = new(AnthropicOperations.CountTokens, AnthropicMessagesDialect.Instance,
        AnthropicMessagesParser.Instance, Platforms.Anthropic) { Path = "/v1/messages/count_tokens" };

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var requestId = RelayRequest.NewId();
        var client = new ClientChannel(context, requestId, AnthropicMessagesDialect.Instance);
        var (caller, authError) = await authenticator.AuthenticateAsync(context, ct);
        // A caller with an error is known but not billing-eligible (e.g. INSUFFICIENT_BALANCE): refused here,
        // before the body is read or a slot is taken, with the check's own code (SPEC §2.2).
        if (caller is null || authError is not null)
        {
            await client.WriteAuthErrorAsync(authError!);
            return;
        }
        var (request, error) = await reader.ReadAsync(context, Route, caller, requestId, time.GetTimestamp(), ct);
        if (request is null)
        {
            await client.WriteErrorAsync(error!.Value.Status, error.Value.Type, error.Value.Message);
            return;
        }
        var account = await PickAsync(request, caller, ct);
        if (account is null)
        {
            var (status, type, message) = RelayErrors.NoAccounts;
            await client.WriteErrorAsync(status, type, message);
            return;
        }
        using var attempt = await forwarder.SendAsync(account, request with { Info = ((AnthropicRequestInfo)request.Info) with { Stream = false } },
            context.Request, ct);
        if (!attempt.IsSuccess)
        {
            if (!attempt.SkipHealthReport && (attempt.Status is not (504 or 502) || attempt.ErrorBody.Length > 0))
            {
                await health.ReportErrorAsync(account, attempt.Status, attempt.Header, AnthropicErrors.ExtractMessage(attempt.ErrorBody), ct,
                    attempt.ErrorBody);
            }
            var message = attempt.Status switch { 429 => "Rate limit exceeded", 529 => "Service overloaded", _ => "Upstream request failed" };
            await client.WriteErrorAsync(attempt.Status is >= 400 and < 600 ? attempt.Status : 502, "upstream_error", message);
            return;
        }
        var body = await attempt.Response!.Content.ReadAsByteArrayAsync(CancellationToken.None);
        context.Response.StatusCode = attempt.Status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, ct);
    }

    private async Task<AccountModel?> PickAsync(RelayRequest request, Caller caller, CancellationToken ct)
    {
        var snapshot = await pool.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var selection = new SelectionRequest(caller.Group?.Id, request.Platform, request.Model, request.SessionHash,
            new HashSet<long>(), request.RequestId, IgnoreGroups: runMode.IsSimple);
        if (selection.StickyKey is { } key && await sticky.GetAsync(key) is { } boundId
            && snapshot.ById.TryGetValue(boundId, out var bound) && health.IsAvailable(bound, now) && AccountScheduler.IsCandidate(bound, selection))
        {
            return bound;
        }
        return snapshot.All.Where(a => AccountScheduler.IsCandidate(a, selection) && health.IsAvailable(a, now))
            .OrderBy(a => a.Priority).ThenBy(a => health.LastUsed(a.Id) ?? DateTime.MinValue).FirstOrDefault();
    }
}

using Microsoft.Extensions.Options;
using Sub2Api.Auth;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Scheduling;

namespace Sub2Api.Relay;

/// <summary>
/// <c>POST /v1/messages</c>, the hot path. Read top to bottom; each step is one call into a collaborator.
/// The failover loop may only <c>continue</c> while nothing of an upstream answer has reached the client.
/// </summary>
internal sealed partial class MessagesRelay(
    ApiKeyAuthenticator authenticator, RequestReader reader, UserAdmission admission, AccountSlotAcquirer accounts,
    UpstreamForwarder forwarder, ResponseRelay responses, RelayUsage usage, AccountHealth health,
    IOptionsMonitor<GatewayOptions> options, RunMode runMode, TimeProvider time, ILogger<MessagesRelay> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var requestId = RelayRequest.NewId();
        var client = new ClientChannel(context, requestId);
        var ct = context.RequestAborted;

        // :: Step 1 — authenticate from headers, before reading any of the body
        var (caller, authError) = await authenticator.AuthenticateAsync(context, ct);
        // A caller with an error is known but not billing-eligible (e.g. INSUFFICIENT_BALANCE): refused here,
        // before the body is read or a slot is taken, with the check's own code (SPEC §2.2).
        if (caller is null || authError is not null)
        {
            await client.WriteAuthErrorAsync(authError!);
            return;
        }

        // :: Step 2 — read the body (size-limited) and only the fields the relay needs
        var (request, readError) = await reader.ReadAsync(context, caller, requestId, started, ct);
        if (request is null)
        {
            await client.WriteErrorAsync(readError!.Value.Status, readError.Value.Type, readError.Value.Message);
            return;
        }

        // :: Step 3 — admission: the user's wait queue and slot, then billing re-checked
        await using var userSlot = await admission.AdmitAsync(request, client, ct);
        if (userSlot is null)
        {
            return;
        }

        var excluded = new HashSet<long>();
        var maxSwitches = request.Platform == Platforms.Gemini ? options.CurrentValue.MaxAccountSwitchesGemini : options.CurrentValue.MaxAccountSwitches;
        UpstreamAttempt? lastFailure = null;
        try
        {
            for (var switches = 0; ; switches++)
            {
                // :: Step 4 — schedule: sticky session → load-aware pick → account slot (or wait for one)
                var (account, accountSlot, status, error) = await accounts.AcquireAsync(
                    new SelectionRequest(caller.Group?.Id, request.Platform, request.Model, request.SessionHash, excluded, requestId,
                        IgnoreGroups: runMode.IsSimple),
                    request.Stream ? client.PingAsync : null, ct);
                if (account is null)
                {
                    await WriteNoAccountAsync(client, lastFailure, status, error!);
                    return;
                }
                await using var _ = accountSlot;

                // :: Step 5 — forward (same-account retries inside) and classify
                using var attempt = await forwarder.SendAsync(account, request, context.Request, countTokens: false, ct);
                if (!attempt.IsSuccess)
                {
                    if (await ShouldFailOverAsync(account, attempt, ct) && switches < maxSwitches)
                    {
                        Log.FailingOver(logger, requestId, account.Id, attempt.Status, switches + 1);
                        excluded.Add(account.Id);
                        lastFailure = attempt;
                        continue;
                    }
                    await WriteUpstreamErrorAsync(client, attempt);
                    return;
                }

                // :: Step 6 — relay: stream or copy to the client, reading usage from the same bytes
                health.ReportSuccess(account, attempt.Header);
                var outcome = await responses.RelayAsync(client, attempt, request, ReleaseSlots);
                if (outcome.FailOver)
                {
                    Log.FailingOver(logger, requestId, account.Id, (int)outcome.Failure, switches + 1);
                    excluded.Add(account.Id);
                    if (switches < maxSwitches)
                    {
                        continue;
                    }
                    await client.WriteErrorAsync(502, "upstream_error", "Upstream request failed");
                    return;
                }

                // :: Step 7 — record usage (journaled, charged off the hot path; never with the request's token)
                await usage.RecordAsync(request, account, outcome, context);
                return;

                async ValueTask ReleaseSlots()
                {
                    await accountSlot!.DisposeAsync();
                    await userSlot.DisposeAsync();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left before the upstream answered; there is nothing to bill and nobody to answer.
        }
    }

    /// <summary>
    /// Marks the account for what the upstream said (SPEC §4.5) and tells whether another account may do better:
    /// the failover statuses, the optional 400 rule, or an answer that just took the account out of service.
    /// </summary>
    private async Task<bool> ShouldFailOverAsync(AccountModel account, UpstreamAttempt attempt, CancellationToken ct)
    {
        if (attempt.Failure is UpstreamFailure.NetworkError or UpstreamFailure.Timeout || attempt.SkipHealthReport)
        {
            return true; // a transport problem says nothing about the account's standing (a failed refresh already marked it)
        }
        var failOver = AnthropicErrors.CanFailOver(attempt.Failure)
            || (attempt.Status == 400 && options.CurrentValue.FailoverOn400 && AnthropicErrors.ShouldFailoverOn400(attempt.ErrorBody));
        // After exhausted same-account retries only an OAuth 403 marks the account (the seed's handleRetryExhaustedSideEffects).
        if (!attempt.RetriesExhausted || (account.IsOAuth && attempt.Status == 403))
        {
            var disabled = await health.ReportErrorAsync(account, attempt.Status, attempt.Header,
                AnthropicErrors.ExtractMessage(attempt.ErrorBody), ct);
            failOver |= disabled;
        }
        return failOver;
    }

    private static Task WriteUpstreamErrorAsync(ClientChannel client, UpstreamAttempt attempt)
    {
        if (attempt.Status == 400)
        {
            return client.WritePassthroughAsync(400, attempt.ErrorBody);
        }
        var (status, type, message) = attempt.Failure is UpstreamFailure.NetworkError or UpstreamFailure.Timeout
            ? AnthropicErrors.NetworkFailure
            : attempt.RetriesExhausted ? AnthropicErrors.RetriesExhausted : AnthropicErrors.MapForClient(attempt.Status);
        return client.WriteErrorAsync(status, type, message);
    }

    /// <summary>No account left: the last upstream failure if there was one, else "no available accounts".</summary>
    private static Task WriteNoAccountAsync(ClientChannel client, UpstreamAttempt? lastFailure, int status, string error)
    {
        if (lastFailure is not null)
        {
            return WriteUpstreamErrorAsync(client, lastFailure);
        }
        if (status == 429)
        {
            return client.WriteErrorAsync(429, "rate_limit_error", error);
        }
        var (code, type, message) = AnthropicErrors.NoAccounts;
        return client.WriteErrorAsync(code, type, $"{message}: {error}");
    }

    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Warning, "Request {RequestId}: account {AccountId} failed ({Status}); failover #{Switch}")]
        public static partial void FailingOver(ILogger logger, string requestId, long accountId, int status, int @switch);
    }
}

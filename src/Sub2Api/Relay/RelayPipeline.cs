using Microsoft.Extensions.Options;
using Sub2Api.Auth;
using Sub2Api.Configuration;
using Sub2Api.Observability;
using Sub2Api.Ops;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Relay;

/// <summary>
/// Every relayed route (<c>POST /v1/messages</c>, <c>/v1/responses</c>, <c>/v1/chat/completions</c>, …), the hot path.
/// Read top to bottom; each step is one call into a collaborator. What differs between routes and upstreams is the
/// route's <see cref="RelayRoute"/> (request format, error shapes) and the request's <see cref="IRelayProvider"/>.
/// The failover loop may only <c>continue</c> while nothing of an upstream answer has reached the client.
/// </summary>
internal sealed partial class RelayPipeline(
    ApiKeyAuthenticator authenticator, RequestReader reader, UserAdmission admission, AccountSlotAcquirer accounts,
    UpstreamForwarder forwarder, ResponseRelay responses, RelayUsage usage, AccountHealth health,
    IOptionsMonitor<GatewayOptions> options, RunMode runMode, TimeProvider time, ILogger<RelayPipeline> logger,
    ErrorPassthroughPolicy passthrough, RelayTelemetry telemetry)
{
    public async Task HandleAsync(HttpContext context, RelayRoute route)
    {
        var started = time.GetTimestamp();
        var requestId = RelayRequest.NewId();
        // Metrics, the trace and the ops error log see the request through this; it ends in the finally below.
        var observation = RelayTelemetry.Start(context, route.Operation, started);
        observation.RequestId = requestId;
        var client = new ClientChannel(context, requestId, route.Dialect) { Observation = observation };
        RelayOutcome? relayed = null;
        try
        {
            relayed = await RelayAsync(context, route, requestId, started, client, observation);
        }
        finally
        {
            telemetry.Ended(observation, relayed);
        }
    }

    /// <summary>Steps 1–7; the outcome of the relayed answer when one reached the client, else null.</summary>
    private async Task<RelayOutcome?> RelayAsync(HttpContext context, RelayRoute route, string requestId, long started,
        ClientChannel client, RelayObservation observation)
    {
        var ct = context.RequestAborted;

        // :: Step 1 — authenticate from headers, before reading any of the body
        var (caller, authError) = await authenticator.AuthenticateAsync(context, ct);
        // A caller with an error is known but not billing-eligible (e.g. INSUFFICIENT_BALANCE): refused here,
        // before the body is read or a slot is taken, with the check's own code (SPEC §2.2).
        if (caller is null || authError is not null)
        {
            await client.WriteAuthErrorAsync(authError!);
            return null;
        }
        observation.Caller = caller;
        observation.Phase = OpsPhases.Request;

        // :: Step 2 — find the provider, read the body (size-limited) and only the fields the relay needs
        var (request, readError) = await reader.ReadAsync(context, route, caller, requestId, started, ct);
        if (request is null)
        {
            await client.WriteErrorAsync(readError!.Value.Status, readError.Value.Type, readError.Value.Message);
            return null;
        }
        RelayTelemetry.Parsed(observation, request);

        // :: Step 3 — admission: the user's wait queue and slot, then billing re-checked
        await using var userSlot = await admission.AdmitAsync(request, client, ct);
        if (userSlot is null)
        {
            return null;
        }
        observation.Phase = OpsPhases.Routing;
        // Slots of a client that leaves: the user's slot is the client's own and is freed the moment it leaves — the
        // user is waiting for nothing any more (an interrupted Claude Code turn can be followed at once by the next),
        // and the work still under way is billed to them all the same. The account slot is not freed: the account is
        // still producing the answer until the upstream ends it, and releasing early would let the scheduler send it
        // more concurrent requests than it may carry. It is released when this handler ends, after the drain.
        await using var freeUserSlotOnLeave = ct.Register(static lease => _ = ((SlotLease)lease!).DisposeAsync().AsTask(), userSlot);

        var excluded = new HashSet<long>();
        var provider = request.Provider;
        var maxSwitches = provider.MaxAccountSwitches(options.CurrentValue);
        UpstreamAttempt? lastFailure = null;
        try
        {
            for (var switches = 0; ; switches++)
            {
                // :: Step 4 — schedule: sticky session → load-aware pick → account slot (or wait for one)
                AccountModel? account;
                SlotLease? accountSlot;
                int status;
                string? error;
                using (RelayTelemetry.StartScheduling(observation))
                {
                    (account, accountSlot, status, error) = await accounts.AcquireAsync(
                        new SelectionRequest(caller.Group?.Id, request.Platform, request.Model, request.SessionHash, excluded, requestId,
                            IgnoreGroups: runMode.IsSimple),
                        request.Stream ? client.PingAsync : null, ct);
                }
                if (account is null)
                {
                    observation.Phase = lastFailure is null ? OpsPhases.Routing : OpsPhases.Upstream;
                    await WriteNoAccountAsync(client, provider, lastFailure, status, error!, request.Platform);
                    return null;
                }
                await using var _ = accountSlot;

                // :: Step 5 — forward (same-account retries inside) and classify. Once sent, a request is received to
                // its end whether the client stays or not (bounded by the gateway's timeouts) so the work is billed;
                // the client's token only stops new attempts (retries, signature retries, failover) nobody would read.
                var span = RelayTelemetry.StartAttempt(observation, account, switches);
                using var attempt = await forwarder.SendAsync(account, request, context.Request, ct);
                if (!attempt.IsSuccess)
                {
                    // The account is marked for what the upstream said even when the client has left meanwhile. The upstream's
                    // message is read from its body once, for the health mark and the ops log alike.
                    var upstreamMessage = provider.ExtractErrorMessage(attempt.ErrorBody);
                    var failOver = await ShouldFailOverAsync(provider, account, attempt, upstreamMessage, CancellationToken.None)
                        && switches < maxSwitches;
                    telemetry.AttemptEnded(observation, span, account, attempt.Status, attempt.Failure, upstreamMessage, attempt.ErrorBody, failOver);
                    if (failOver)
                    {
                        Log.FailingOver(logger, requestId, account.Id, attempt.Status, attempt.Failure, switches + 1);
                        excluded.Add(account.Id);
                        lastFailure = attempt;
                        continue;
                    }
                    if (attempt.Failure is UpstreamFailure.NetworkError or UpstreamFailure.Timeout)
                    {
                        observation.Phase = OpsPhases.Network;
                    }
                    await WriteUpstreamErrorAsync(client, provider, attempt, request.Platform);
                    return null;
                }

                // :: Step 6 — relay: stream or copy to the client, reading usage from the same bytes
                health.ReportSuccess(account, attempt.Header);
                var outcome = await responses.RelayAsync(client, attempt, request, userSlot.DisposeAsync);
                if (outcome.FailOver)
                {
                    telemetry.AttemptEnded(observation, span, account, attempt.Status, outcome.Failure,
                        RelayTelemetry.FailureName(outcome.Failure), null, switches < maxSwitches);
                    // The upstream answered (attempt.Status) but its body broke, stalled or began with an error event
                    // before anything reached the client: another account may still serve, and if none does the
                    // client learns of this failure — never "no available accounts".
                    Log.FailingOver(logger, requestId, account.Id, attempt.Status, outcome.Failure, switches + 1);
                    excluded.Add(account.Id);
                    lastFailure = RelayFailure(attempt, outcome.Failure);
                    if (switches < maxSwitches)
                    {
                        continue;
                    }
                    await WriteUpstreamErrorAsync(client, provider, lastFailure, request.Platform);
                    return null;
                }

                // :: Step 7 — record usage (journaled, charged off the hot path; never with the request's token), then count
                // the attempt: the answer is the client's already, so the bill comes first.
                await usage.RecordAsync(request, account, outcome, context, observation);
                telemetry.AttemptEnded(observation, span, account, attempt.Status, UpstreamFailure.None, null, null, failedOver: false);
                return outcome;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left while waiting for a slot or before a new attempt: no upstream answer was left unread,
            // so there is nothing to bill and nobody to answer.
            // The client's doing, whatever step it left in: logged as a client-side event, not a gateway failure.
            observation.Phase = OpsPhases.Request;
            observation.ClientError(499, "client_closed_request", "the client left before an answer");
            return null;
        }
    }

    /// <summary>A step-6 failure in the form step 5's failures take, for the client's final answer.</summary>
    private static UpstreamAttempt RelayFailure(UpstreamAttempt attempt, UpstreamFailure failure) =>
        new() { Status = attempt.Status, Failure = failure, Body = attempt.Body };

    /// <summary>
    /// Marks the account for what the upstream said and tells whether another account may do better: the provider's
    /// failover statuses, the optional 400 rule, or an answer that just took the account out of service.
    /// </summary>
    private async Task<bool> ShouldFailOverAsync(IRelayProvider provider, AccountModel account, UpstreamAttempt attempt,
        string upstreamMessage, CancellationToken ct)
    {
        if (attempt.Failure is UpstreamFailure.NetworkError or UpstreamFailure.Timeout || attempt.SkipHealthReport)
        {
            return true; // a transport problem says nothing about the account's standing (a failed refresh already marked it)
        }
        var failOver = provider.CanFailOver(attempt.Failure)
            || (attempt.Status == 400 && options.CurrentValue.FailoverOn400 && provider.ShouldFailOverOn400(attempt.ErrorBody));
        // After exhausted same-account retries only an OAuth 403 marks the account (the original's retry-exhausted rule).
        if (!attempt.RetriesExhausted || (account.IsOAuth && attempt.Status == 403))
        {
            var disabled = await health.ReportErrorAsync(account, attempt.Status, attempt.Header, upstreamMessage, ct, attempt.ErrorBody);
            failOver |= disabled;
        }
        return failOver;
    }

    private async Task WriteUpstreamErrorAsync(ClientChannel client, IRelayProvider provider, UpstreamAttempt attempt, string platform)
    {
        // An admin's error-passthrough rule, when one matches, decides what the client sees.
        if (attempt.Failure is not (UpstreamFailure.NetworkError or UpstreamFailure.Timeout)
            && await passthrough.DecideAsync(provider, platform, attempt.Status, attempt.ErrorBody, CancellationToken.None) is { } decision)
        {
            if (decision.SkipMonitoring && client.Observation is { } observation)
            {
                observation.SkipOpsLog = true;
            }
            await client.WriteErrorAsync(decision.Status, decision.Type, decision.Message);
            return;
        }
        await WriteMappedUpstreamErrorAsync(client, provider, attempt);
    }

    private static Task WriteMappedUpstreamErrorAsync(ClientChannel client, IRelayProvider provider, UpstreamAttempt attempt)
    {
        if (attempt.Status == 400)
        {
            return client.WritePassthroughAsync(400, attempt.ErrorBody, provider.ExtractErrorMessage(attempt.ErrorBody));
        }
        var (status, type, message) = attempt.Failure is UpstreamFailure.NetworkError or UpstreamFailure.Timeout
            ? RelayErrors.NetworkFailure
            : attempt.RetriesExhausted ? RelayErrors.RetriesExhausted : provider.MapForClient(attempt.Status);
        return client.WriteErrorAsync(status, type, message);
    }

    /// <summary>No account left: the last upstream failure if there was one, else "no available accounts".</summary>
    private Task WriteNoAccountAsync(ClientChannel client, IRelayProvider provider, UpstreamAttempt? lastFailure, int status,
        string error, string platform)
    {
        if (lastFailure is not null)
        {
            return WriteUpstreamErrorAsync(client, provider, lastFailure, platform);
        }
        if (status == 429)
        {
            return client.WriteErrorAsync(429, "rate_limit_error", error);
        }
        var (code, type, message) = RelayErrors.NoAccounts;
        return client.WriteErrorAsync(code, type, $"{message}: {error}");
    }

    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Warning, "Request {RequestId}: account {AccountId} failed ({Status}, {Failure}); failover #{Switch}")]
        public static partial void FailingOver(ILogger logger, string requestId, long accountId, int status, UpstreamFailure failure, int @switch);
    }
}

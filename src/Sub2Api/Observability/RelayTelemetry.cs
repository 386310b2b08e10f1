using System.Diagnostics;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.Ops;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Sub2Api.Observability;

/// <summary>
/// What the relay tells the outside about each request: metrics (always, counters only), a trace (only when an
/// OpenTelemetry listener is attached — otherwise <see cref="Source"/> creates no <see cref="Activity"/>) and, for a
/// failure, an ops error-log row (queued, written off the hot path). The pipeline calls it at fixed points; one
/// <see cref="RelayObservation"/> per request carries what those points learnt.
/// </summary>
internal sealed class RelayTelemetry(GatewayMetrics metrics, OpsErrorRecorder opsErrors, OpsBodyCapture bodyCapture, TimeProvider time)
{
    public const string SourceName = "Sub2Api.Relay";

    /// <summary>Spans: one per relayed request ("chat {model}"), children "schedule" and "upstream {platform}".</summary>
    public static readonly ActivitySource Source = new(SourceName);

    public static RelayObservation Start(HttpContext context, string route, long startTimestamp)
    {
        var observation = new RelayObservation(context, route, startTimestamp);
        if (Source.HasListeners())
        {
            // A client's W3C traceparent makes our span its child; without one the span starts a trace.
            ActivityContext.TryParse(context.Request.Headers.TraceParent, context.Request.Headers.TraceState, out var parent);
            observation.Activity = Source.StartActivity("chat", ActivityKind.Server, parent);
            observation.Activity?.SetTag("http.route", route);
        }
        return observation;
    }

    /// <summary>Step 2 done: the request is known (model, platform, caller).</summary>
    public static void Parsed(RelayObservation observation, RelayRequest request)
    {
        observation.Request = request;
        if (observation.Activity is { } activity)
        {
            activity.DisplayName = "chat " + request.Model;
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", request.Platform);
            activity.SetTag("gen_ai.request.model", request.Model);
            activity.SetTag("gen_ai.request.stream", request.Stream);
            activity.SetTag("sub2api.request_id", request.RequestId);
            activity.SetTag("sub2api.group", request.Caller.Group?.Name);
        }
    }

    /// <summary>A child span around step 4 (null when tracing is off).</summary>
    public static Activity? StartScheduling(RelayObservation observation) =>
        observation.Activity is null ? null : Source.StartActivity("schedule", ActivityKind.Internal, observation.Activity.Context);

    /// <summary>A child span around one upstream attempt (null when tracing is off).</summary>
    public static Activity? StartAttempt(RelayObservation observation, AccountModel account, int switches)
    {
        observation.Account = account;
        observation.Switches = switches;
        observation.Phase = OpsPhases.Upstream;
        if (observation.Activity is null)
        {
            return null;
        }
        var span = Source.StartActivity("upstream " + account.Platform, ActivityKind.Client, observation.Activity.Context);
        span?.SetTag("sub2api.account.id", account.Id);
        span?.SetTag("sub2api.attempt", switches);
        return span;
    }

    /// <summary>An upstream answer, success or failure (counted per account); a failure is also an ops row.</summary>
    public void AttemptEnded(RelayObservation observation, Activity? span, AccountModel account, int status, UpstreamFailure failure,
        string? message, byte[]? errorBody, bool failedOver)
    {
        var outcome = failure == UpstreamFailure.None ? "success" : FailureName(failure);
        metrics.UpstreamAttempt(account.Platform, account.Id, status, outcome);
        if (span is not null)
        {
            span.SetTag("http.response.status_code", status);
            if (failure != UpstreamFailure.None)
            {
                span.SetTag("error.type", outcome);
                span.SetStatus(ActivityStatusCode.Error);
            }
            span.Dispose();
        }
        if (failure == UpstreamFailure.None)
        {
            return;
        }
        observation.UpstreamStatus = status;
        observation.UpstreamMessage = message;
        if (failedOver)
        {
            metrics.FailedOver(account.Platform, account.Id, outcome);
        }
        var row = NewRow(observation, OpsErrorKinds.Upstream,
            failure is UpstreamFailure.NetworkError or UpstreamFailure.Timeout ? OpsPhases.Network : OpsPhases.Upstream,
            outcome, OpsOwners.Provider, OpsSeverity.ForUpstream(failure), status, message ?? outcome);
        row.AccountId = account.Id;
        row.UpstreamStatusCode = status;
        row.UpstreamErrorMessage = Cap(message, 2000);
        row.UpstreamErrorDetail = errorBody is { Length: > 0 } ? OpsBodyCapture.RedactedText(errorBody, OpsBodyCapture.MaxUpstreamDetailBytes) : null;
        row.FailedOver = failedOver;
        row.Attempt = observation.Switches;
        opsErrors.Report(row);
    }

    /// <summary>The request is over: count it, end its span, and keep a failure the client saw in the ops log.</summary>
    public void Ended(RelayObservation observation, RelayOutcome? outcome)
    {
        var cost = observation.Cost;
        var elapsed = time.GetElapsedTime(observation.StartTimestamp);
        var request = observation.Request;
        var platform = request?.Platform ?? MetricLabels.None;
        var model = MetricLabels.Model(request?.Model);
        var group = request?.Caller.Group?.Name ?? MetricLabels.None;
        var status = observation.ErrorStatus ?? observation.Context.Response.StatusCode;
        double? ttft = outcome?.FirstTokenMs is { } ms ? ms / 1000.0 : null;
        metrics.RequestEnded(observation.Route, platform, model, group, status, observation.ErrorType, elapsed.TotalSeconds, ttft);
        if (outcome is { } done && cost is { } billed)
        {
            var usage = done.Usage;
            metrics.Billed(platform, model, group, usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheCreationTokens,
                billed.ActualCost);
        }

        if (observation.Activity is { } activity)
        {
            activity.SetTag("http.response.status_code", status);
            if (outcome is { } relayed)
            {
                activity.SetTag("gen_ai.usage.input_tokens", relayed.Usage.InputTokens);
                activity.SetTag("gen_ai.usage.output_tokens", relayed.Usage.OutputTokens);
                activity.SetTag("gen_ai.usage.cache_read.input_tokens", relayed.Usage.CacheReadTokens);
                activity.SetTag("gen_ai.usage.cache_creation.input_tokens", relayed.Usage.CacheCreationTokens);
                if (observation.Account is { } served)
                {
                    activity.SetTag("sub2api.account.id", served.Id);
                }
            }
            if (observation.ErrorType is { } errorType)
            {
                activity.SetTag("error.type", errorType);
                activity.SetStatus(ActivityStatusCode.Error);
            }
            activity.Dispose();
        }

        if (observation.ErrorType is null || observation.SkipOpsLog)
        {
            return;
        }
        var row = NewRow(observation, OpsErrorKinds.Request, observation.Phase, observation.ErrorType,
            OpsOwners.For(observation.Phase), OpsSeverity.ForRequest(status), status, observation.ErrorMessage ?? observation.ErrorType);
        row.AccountId = observation.Account?.Id;
        row.UpstreamStatusCode = observation.UpstreamStatus;
        row.UpstreamErrorMessage = Cap(observation.UpstreamMessage, 2000);
        row.Attempt = observation.Switches;
        row.DurationMs = (int)elapsed.TotalMilliseconds;
        if (request is not null && bodyCapture.Enabled)
        {
            (row.RequestBody, row.RequestBodyBytes, row.RequestBodyTruncated) = OpsBodyCapture.Capture(request.Body.Span);
        }
        opsErrors.Report(row);
    }

    private OpsErrorLog NewRow(RelayObservation observation, string kind, string phase, string type, string owner, string severity,
        int status, string message)
    {
        var request = observation.Request;
        var caller = request?.Caller ?? observation.Caller;
        var http = observation.Context;
        return new OpsErrorLog
        {
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            Phase = phase,
            Type = Cap(type, 64)!,
            Owner = owner,
            Severity = severity,
            StatusCode = status,
            Platform = request?.Platform,
            Model = Cap(request?.Model, 200),
            RequestId = observation.RequestId ?? "",
            Message = Cap(message, 2000)!,
            UserId = caller?.User.Id,
            ApiKeyId = caller?.Key.Id,
            GroupId = caller?.Group?.Id,
            ClientIp = http.Connection.RemoteIpAddress?.ToString(),
            RequestPath = Cap(http.Request.Path.Value, 200),
            UserAgent = Cap(http.Request.Headers.UserAgent.ToString(), 500),
            Stream = request?.Stream ?? false,
        };
    }

    private static string? Cap(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    /// <summary>"rate_limited", "server_error", … — the failure as a bounded label.</summary>
    public static string FailureName(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.None => "none",
        UpstreamFailure.BadRequest => "bad_request",
        UpstreamFailure.AuthRejected => "auth_rejected",
        UpstreamFailure.Forbidden => "forbidden",
        UpstreamFailure.RateLimited => "rate_limited",
        UpstreamFailure.Overloaded => "overloaded",
        UpstreamFailure.ServerError => "server_error",
        UpstreamFailure.OtherClientError => "client_error",
        UpstreamFailure.StreamError => "stream_error",
        UpstreamFailure.NetworkError => "network_error",
        UpstreamFailure.Timeout => "timeout",
        _ => "other",
    };
}

/// <summary>What the pipeline learnt about one request, for <see cref="RelayTelemetry"/>. Filled as the steps run.</summary>
internal sealed class RelayObservation(HttpContext context, string route, long startTimestamp)
{
    public HttpContext Context { get; } = context;
    public string Route { get; } = route;
    public long StartTimestamp { get; } = startTimestamp;
    public Activity? Activity { get; set; }
    public string? RequestId { get; set; }
    /// <summary>The caller once authenticated (before the body is parsed).</summary>
    public Sub2Api.Auth.Caller? Caller { get; set; }
    public RelayRequest? Request { get; set; }
    /// <summary>The step the request is in, which names the phase of an error written now (<see cref="OpsPhases"/>).</summary>
    public string Phase { get; set; } = OpsPhases.Auth;
    public AccountModel? Account { get; set; }
    public int Switches { get; set; }
    public int? UpstreamStatus { get; set; }
    public string? UpstreamMessage { get; set; }
    /// <summary>An error-passthrough rule with <c>skip_monitoring</c> answered the client: no request row in the ops log.</summary>
    public bool SkipOpsLog { get; set; }
    /// <summary>What step 7 billed.</summary>
    public CostBreakdown? Cost { get; set; }
    /// <summary>Set when the client was answered with an error (status, the error type it saw, the message).</summary>
    public int? ErrorStatus { get; private set; }
    public string? ErrorType { get; private set; }
    public string? ErrorMessage { get; private set; }

    /// <summary>Called by <see cref="ClientChannel"/> for every error it writes; the first one is what the client saw.</summary>
    public void ClientError(int status, string type, string message)
    {
        if (ErrorType is not null)
        {
            return;
        }
        ErrorStatus = status;
        ErrorType = type;
        ErrorMessage = message;
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sub2Api.Observability;

/// <summary>
/// The gateway's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. GenAI semantic-convention
/// names where one exists (<c>gen_ai.server.request.duration</c>, <c>gen_ai.server.time_to_first_token</c>,
/// <c>gen_ai.client.token.usage</c>), <c>sub2api.*</c> for the rest. The hot path only adds to counters and
/// histograms (lock-free in the SDK); gauges are read at scrape time from values sampled off the hot path.
/// Label values come from <see cref="MetricLabels"/> so every label set stays bounded; never a user, key or token.
/// The README's "Metrics" section lists the names as Prometheus shows them.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Sub2Api";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _upstreamAttempts;
    private readonly Counter<long> _failovers;
    private readonly Histogram<double> _slotWait;
    private readonly Counter<long> _tokenRefreshes;
    private readonly Counter<long> _opsDropped;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("sub2api.gateway.requests", "{request}",
            "Relayed requests by route, platform, model, group and the status the client got.");
        _duration = _meter.CreateHistogram<double>("gen_ai.server.request.duration", "s",
            "Time from the request's arrival to the end of the answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320] });
        _timeToFirstToken = _meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s",
            "Time from the request's arrival to the first token sent to the client.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32] });
        _tokens = _meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}",
            "Tokens per request by type (input, output, cache_read, cache_creation).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576] });
        _cost = _meter.CreateCounter<double>("sub2api.cost.usd", null, "Cost billed, in USD after multipliers.");
        _upstreamAttempts = _meter.CreateCounter<long>("sub2api.upstream.attempts", "{attempt}",
            "Upstream attempts by account and outcome (success or the failure).");
        _failovers = _meter.CreateCounter<long>("sub2api.upstream.failovers", "{failover}",
            "Switches to another account, by the account left and why.");
        _slotWait = _meter.CreateHistogram<double>("sub2api.slot.wait.duration", "s",
            "Time a request waited for a concurrency slot (user or account), when it had to wait.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120] });
        _tokenRefreshes = _meter.CreateCounter<long>("sub2api.token.refreshes", "{refresh}",
            "OAuth token refreshes by platform and result (success or failure).");
        _opsDropped = _meter.CreateCounter<long>("sub2api.ops.errors.dropped", "{error}",
            "Ops error-log rows dropped because the writer's queue was full.");
    }

    /// <summary>The meter, for observable gauges registered by samplers.</summary>
    public Meter Meter => _meter;

    public void RequestEnded(string route, string platform, string model, string group, int status, string? errorType,
        double durationSeconds, double? timeToFirstTokenSeconds)
    {
        if (_requests.Enabled)
        {
            var tags = new TagList
            {
                { "route", route }, { "platform", platform }, { "model", model }, { "group", group }, { "status", MetricLabels.Status(status) },
            };
            _requests.Add(1, tags);
        }
        if (_duration.Enabled)
        {
            var tags = new TagList { { "gen_ai.operation.name", "chat" }, { "gen_ai.provider.name", platform }, { "gen_ai.request.model", model } };
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }
            _duration.Record(durationSeconds, tags);
        }
        if (timeToFirstTokenSeconds is { } ttft && _timeToFirstToken.Enabled)
        {
            _timeToFirstToken.Record(ttft, new TagList { { "gen_ai.operation.name", "chat" }, { "gen_ai.provider.name", platform }, { "gen_ai.request.model", model } });
        }
    }

    public void Billed(string platform, string model, string group, long input, long output, long cacheRead, long cacheCreation, decimal cost)
    {
        if (_tokens.Enabled)
        {
            RecordTokens(platform, model, "input", input);
            RecordTokens(platform, model, "output", output);
            RecordTokens(platform, model, "cache_read", cacheRead);
            RecordTokens(platform, model, "cache_creation", cacheCreation);
        }
        if (_cost.Enabled && cost != 0)
        {
            _cost.Add((double)cost, new TagList { { "platform", platform }, { "model", model }, { "group", group } });
        }
    }

    private void RecordTokens(string platform, string model, string type, long count)
    {
        if (count > 0)
        {
            _tokens.Record(count, new TagList
            {
                { "gen_ai.operation.name", "chat" }, { "gen_ai.provider.name", platform }, { "gen_ai.request.model", model }, { "gen_ai.token.type", type },
            });
        }
    }

    /// <param name="outcome">"success" or the failure's name in snake case (see <see cref="RelayTelemetry"/>).</param>
    public void UpstreamAttempt(string platform, long accountId, int status, string outcome)
    {
        if (_upstreamAttempts.Enabled)
        {
            _upstreamAttempts.Add(1, new TagList
            {
                { "platform", platform }, { "account", MetricLabels.Id(accountId) }, { "status", MetricLabels.Status(status) }, { "outcome", outcome },
            });
        }
    }

    public void FailedOver(string platform, long accountId, string reason)
    {
        if (_failovers.Enabled)
        {
            _failovers.Add(1, new TagList { { "platform", platform }, { "account", MetricLabels.Id(accountId) }, { "reason", reason } });
        }
    }

    /// <param name="kind">"user" or "account".</param>
    public void SlotWaited(string kind, double seconds)
    {
        if (_slotWait.Enabled)
        {
            _slotWait.Record(seconds, new TagList { { "kind", kind } });
        }
    }

    public void TokenRefreshed(string platform, bool success) =>
        _tokenRefreshes.Add(1, new TagList { { "platform", platform }, { "result", success ? "success" : "failure" } });

    public void OpsErrorDropped(long count = 1) => _opsDropped.Add(count);

    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics.Metrics;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Observability;

/// <summary>
/// The gauges: accounts by state, account slots in use and queued, the usage journal's backlog and the usage
/// writer's lag. Sampled here, off the hot path — once at start, then every <see cref="Interval"/> — and read by
/// observable gauges at scrape time, so a scrape costs no database or Redis round trip and the relay does no
/// bookkeeping for them. One sample is one snapshot read, one slot-load call and two counters.
/// <para>
/// Every node reports the whole pool (accounts and slots are shared through the database and Redis in a cluster):
/// aggregate those across nodes with <c>max</c>, not <c>sum</c>. The journal and the writer are per node.
/// </para>
/// </summary>
internal sealed partial class TelemetrySampler : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>The states of <c>sub2api.accounts</c>: each account is counted in exactly one.</summary>
    public static readonly string[] AccountStates = ["schedulable", "rate_limited", "overloaded", "error", "temp_unschedulable", "disabled"];

    private readonly AccountPool _pool;
    private readonly AccountHealth _health;
    private readonly IConcurrencySlots _slots;
    private readonly UsageJournal _journal;
    private readonly UsageRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ILogger<TelemetrySampler> _logger;
    private volatile Sample _sample = Sample.Empty;

    public TelemetrySampler(GatewayMetrics metrics, AccountPool pool, AccountHealth health, IConcurrencySlots slots, UsageJournal journal,
        UsageRecorder recorder, TimeProvider time, ILogger<TelemetrySampler> logger)
    {
        _pool = pool;
        _health = health;
        _slots = slots;
        _journal = journal;
        _recorder = recorder;
        _time = time;
        _logger = logger;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("sub2api.accounts", () => _sample.Accounts, "{account}",
            "Upstream accounts by platform and state (schedulable, rate_limited, overloaded, error, temp_unschedulable, disabled).");
        meter.CreateObservableGauge("sub2api.slot.in_use", () => _sample.SlotsInUse, "{slot}",
            "Concurrency slots held, by kind (account) and platform.");
        meter.CreateObservableGauge("sub2api.slot.queue.depth", () => _sample.QueueDepth, "{request}",
            "Requests waiting for a concurrency slot, by kind (account) and platform.");
        meter.CreateObservableGauge("sub2api.usage.journal.backlog", () => _sample.JournalBacklog, "{record}",
            "Usage records journaled on this node and not yet committed to the database.");
        meter.CreateObservableGauge("sub2api.usage.writer.lag", () => _sample.WriterLagSeconds, "s",
            "Age of the oldest usage record on this node not yet written to the database (0 when the writer is caught up).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A database or Redis hiccup: keep the last sample and try again next time.
                Log.SampleFailed(_logger, e.GetType().Name, e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Takes a sample now; the gauges report it until the next one.</summary>
    internal async Task SampleAsync(CancellationToken cancellationToken) => _sample = await TakeAsync(cancellationToken);

    private async Task<Sample> TakeAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var snapshot = await _pool.GetAsync(cancellationToken);
        var accounts = new Dictionary<(string Platform, string State), long>();
        foreach (var account in snapshot.All)
        {
            foreach (var state in AccountStates)
            {
                accounts.TryAdd((account.Platform, state), 0);
            }
            accounts[(account.Platform, StateOf(account, now))]++;
        }

        var loads = snapshot.ById.Count == 0
            ? new Dictionary<long, AccountLoad>()
            : await _slots.GetAccountLoadsAsync([.. snapshot.All.Select(a => (a.Id, a.Concurrency))]);
        var inUse = new Dictionary<string, long>();
        var waiting = new Dictionary<string, long>();
        foreach (var account in snapshot.All)
        {
            var load = loads.GetValueOrDefault(account.Id);
            inUse[account.Platform] = inUse.GetValueOrDefault(account.Platform) + load.InUse;
            waiting[account.Platform] = waiting.GetValueOrDefault(account.Platform) + load.Waiting;
        }

        return new Sample(
            [.. accounts.Select(p => new Measurement<long>(p.Value, new("platform", p.Key.Platform), new("state", p.Key.State)))],
            [.. inUse.Select(p => new Measurement<long>(p.Value, new("kind", "account"), new("platform", p.Key)))],
            [.. waiting.Select(p => new Measurement<long>(p.Value, new("kind", "account"), new("platform", p.Key)))],
            _journal.Outstanding,
            _recorder.WriterLag(now).TotalSeconds);
    }

    /// <summary>
    /// One state per account, the first that applies: error (status error, or marked so since the snapshot), disabled
    /// (not active, switched off by the admin, or expired), rate_limited, overloaded, temp_unschedulable; else schedulable.
    /// </summary>
    internal string StateOf(AccountModel account, DateTime now)
    {
        if (account.Status == Statuses.Error)
        {
            return "error";
        }
        if (!account.IsEnabled(now))
        {
            return "disabled";
        }
        var state = _health.State(account.Id);
        lock (state)
        {
            return state.Errored ? "error"
                : state.RateLimitResetAt > now ? "rate_limited"
                : state.OverloadUntil > now ? "overloaded"
                : state.TempUnschedulableUntil > now ? "temp_unschedulable"
                : "schedulable";
        }
    }

    /// <summary>What the gauges report until the next sample.</summary>
    internal sealed record Sample(Measurement<long>[] Accounts, Measurement<long>[] SlotsInUse, Measurement<long>[] QueueDepth,
        long JournalBacklog, double WriterLagSeconds)
    {
        public static readonly Sample Empty = new([], [], [], 0, 0);
    }

    private static partial class Log
    {
        [LoggerMessage(1300, LogLevel.Warning, "Telemetry sample failed ({Error}: {Message}); the gauges keep the previous values")]
        public static partial void SampleFailed(ILogger logger, string error, string message);
    }
}

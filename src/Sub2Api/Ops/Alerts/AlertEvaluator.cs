using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Cluster;

namespace Sub2Api.Ops.Alerts;

/// <summary>How often the alert rules are evaluated (<c>Ops:Alerts:EvaluationInterval</c>: seconds or hh:mm:ss; default 60 s).</summary>
internal sealed record AlertOptions(TimeSpan EvaluationInterval)
{
    public const string IntervalKey = "Ops:Alerts:EvaluationInterval";
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    public static AlertOptions From(IConfiguration configuration)
    {
        var raw = configuration[IntervalKey]?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return new AlertOptions(DefaultInterval);
        }
        if (double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0)
        {
            return new AlertOptions(TimeSpan.FromSeconds(Math.Max(0.05, seconds)));
        }
        if (TimeSpan.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return new AlertOptions(span < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : span);
        }
        throw new InvalidOperationException($"{IntervalKey} must be a number of seconds or a time span like 00:01:00");
    }
}

/// <summary>
/// Once per cluster (under a lease), every interval: measures each enabled rule and moves its events.
/// A breach fires when it has held for the rule's sustained minutes, no event of the rule is firing, the cooldown
/// since the last firing has passed and no silence covers the rule's dimensions. A firing event resolves at the
/// first evaluation that measures no breach. Both transitions notify.
/// </summary>
internal sealed partial class AlertEvaluator(ClusterLease lease, IDbContextFactory<Sub2ApiDbContext> dbFactory, AlertMetricSource metrics,
    AlertNotificationSettings notificationSettings, AlertNotifier notifier, AlertOptions options, TimeProvider time,
    ILogger<AlertEvaluator> logger) : LeasedJob(lease, time, logger)
{
    public const string JobName = "ops-alert-evaluator";

    public override string Name => JobName;

    public override TimeSpan Interval => options.EvaluationInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => EvaluateAllAsync(cancellationToken);

    public async Task EvaluateAllAsync(CancellationToken cancellationToken)
    {
        List<long> ruleIds;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            ruleIds = await db.OpsAlertRules.Where(r => r.Enabled).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        }
        foreach (var id in ruleIds)
        {
            try
            {
                await EvaluateAsync(id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One rule that cannot be measured must not keep the others from being evaluated.
                Log.RuleFailed(logger, id, e.GetType().Name, e.Message);
            }
        }
    }

    private async Task EvaluateAsync(long ruleId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.OpsAlertRules.FirstOrDefaultAsync(r => r.Id == ruleId && r.Enabled, cancellationToken);
        if (rule is null)
        {
            return;
        }
        var now = Time.GetUtcNow().UtcDateTime;
        var filters = AlertFilters.Parse(rule.Filters);
        var value = await metrics.MeasureAsync(rule.MetricType, rule.WindowMinutes, filters, now, cancellationToken);
        if (value is not { } measured)
        {
            return;
        }
        var firing = await db.OpsAlertEvents.Where(e => e.RuleId == rule.Id && e.Status == AlertCatalog.Firing)
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        if (!AlertCatalog.Compare(rule.Operator, measured, rule.Threshold))
        {
            rule.BreachingSince = null;
            if (firing is not null)
            {
                firing.Status = AlertCatalog.Resolved;
                firing.ResolvedAt = now;
                firing.MetricValue = measured;
                await db.SaveChangesAsync(cancellationToken);
                Log.Resolved(logger, rule.Id, firing.Id);
                await NotifyAsync(db, rule, firing, AlertCatalog.Resolved, cancellationToken);
            }
            else
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            return;
        }

        rule.BreachingSince ??= now;
        var due = firing is null
            && now - rule.BreachingSince.Value >= TimeSpan.FromMinutes(rule.SustainedMinutes)
            && (rule.LastTriggeredAt is not { } last || now - last >= TimeSpan.FromMinutes(rule.CooldownMinutes))
            && !await IsSilencedAsync(db, rule.Id, filters, now, cancellationToken);
        if (!due)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        var alert = new OpsAlertEvent
        {
            RuleId = rule.Id,
            Severity = rule.Severity,
            Status = AlertCatalog.Firing,
            Title = Truncate($"{rule.Name}: {rule.MetricType} {AlertCatalog.Format(measured)} {rule.Operator} {AlertCatalog.Format(rule.Threshold)}", 300),
            Description = Truncate(Describe(rule, measured, filters), 4000),
            MetricValue = measured,
            ThresholdValue = rule.Threshold,
            Dimensions = filters.ToJson(),
            FiredAt = now,
            CreatedAt = now,
        };
        db.OpsAlertEvents.Add(alert);
        rule.LastTriggeredAt = now;
        await db.SaveChangesAsync(cancellationToken);
        Log.Fired(logger, rule.Id, alert.Id, rule.MetricType, measured);
        await NotifyAsync(db, rule, alert, AlertCatalog.Firing, cancellationToken);
    }

    /// <summary>A silence covers the rule when it names no dimension or the rule's own platform or group.</summary>
    private static Task<bool> IsSilencedAsync(Sub2ApiDbContext db, long ruleId, AlertFilters filters, DateTime now, CancellationToken ct) =>
        db.OpsAlertSilences.AnyAsync(s => s.RuleId == ruleId && s.Until > now
            && (s.Platform == null || s.Platform == filters.Platform)
            && (s.GroupId == null || s.GroupId == filters.GroupId), ct);

    /// <summary>Sends, then records on the event whether each channel got through (the latest notification's outcome).</summary>
    private async Task NotifyAsync(Sub2ApiDbContext db, OpsAlertRule rule, OpsAlertEvent alert, string status, CancellationToken ct)
    {
        var config = await notificationSettings.LoadAsync(ct);
        var (webhook, email) = await notifier.NotifyAsync(config, rule, alert, status, ct);
        if (webhook.Attempted)
        {
            alert.WebhookSent = webhook.Success;
        }
        if (email.Attempted)
        {
            alert.EmailSent = email.Success;
        }
        if (webhook.Attempted || email.Attempted)
        {
            await db.SaveChangesAsync(ct);
        }
    }

    private static string Describe(OpsAlertRule rule, double value, AlertFilters filters)
    {
        var scope = filters.IsEmpty ? "all traffic"
            : string.Join(", ", new[] { filters.Platform is { } p ? $"platform {p}" : null, filters.GroupId is { } g ? $"group {g}" : null }
                .Where(x => x is not null));
        return $"{rule.MetricType} is {AlertCatalog.Format(value)} (threshold {rule.Operator} {AlertCatalog.Format(rule.Threshold)}) "
            + $"over the last {rule.WindowMinutes} min, for {scope}.";
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static partial class Log
    {
        [LoggerMessage(1410, LogLevel.Warning, "Alert rule {RuleId} fired (event {EventId}): {Metric} = {Value}")]
        public static partial void Fired(ILogger logger, long ruleId, long eventId, string metric, double value);

        [LoggerMessage(1411, LogLevel.Information, "Alert rule {RuleId} resolved (event {EventId})")]
        public static partial void Resolved(ILogger logger, long ruleId, long eventId);

        [LoggerMessage(1412, LogLevel.Warning, "Alert rule {RuleId} could not be evaluated ({Error}: {Message})")]
        public static partial void RuleFailed(ILogger logger, long ruleId, string error, string message);
    }
}

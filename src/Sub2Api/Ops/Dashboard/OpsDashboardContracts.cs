namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// The headline numbers of the ops console for one window. Rates are percentages (0–100); latency percentiles are
/// null when the window has no timed request.
/// </summary>
internal sealed record OpsOverviewDto(
    DateTime StartTime,
    DateTime EndTime,
    long RequestCount,
    long SuccessCount,
    long ErrorCount,
    double SuccessRate,
    double ErrorRate,
    long UpstreamErrorCount,
    double UpstreamErrorRate,
    double Qps,
    double Tps,
    int? P50LatencyMs,
    int? P95LatencyMs,
    int? P99LatencyMs,
    int? P95TtftMs,
    int? P99TtftMs,
    long ActiveAlerts,
    int AccountsTotal,
    int AccountsAvailable,
    int AccountsRateLimited,
    int AccountsError,
    long ConcurrencyInUse,
    long ConcurrencyQueueDepth);

internal sealed record OpsThroughputPoint(DateTime Time, long RequestCount, long SuccessCount, long ErrorCount, long Tokens, double Qps);

internal sealed record OpsThroughputTrendDto(int BucketSeconds, IReadOnlyList<OpsThroughputPoint> Points);

/// <summary>One histogram bar: requests that took at most <see cref="LeMs"/> (and more than the bar before); the
/// last bar has no upper bound (<c>le_ms</c> null).</summary>
internal sealed record OpsLatencyBucket(int? LeMs, long Count);

internal sealed record OpsLatencyHistogramDto(IReadOnlyList<OpsLatencyBucket> Buckets, int? P50Ms, int? P95Ms, int? P99Ms);

internal sealed record OpsErrorTrendPoint(DateTime Time, long RequestErrors, long UpstreamErrors);

internal sealed record OpsErrorTrendDto(int BucketSeconds, IReadOnlyList<OpsErrorTrendPoint> Points);

internal sealed record OpsKeyCount(string Key, long Count);

internal sealed record OpsAccountErrorCount(long AccountId, string AccountName, string? Platform, long Count, DateTime LastErrorAt,
    string LastMessage);

internal sealed record OpsErrorDistributionDto(IReadOnlyList<OpsKeyCount> ByType, IReadOnlyList<OpsKeyCount> ByStatus,
    IReadOnlyList<OpsAccountErrorCount> ByAccount);

internal sealed record OpsAccountConcurrency(long AccountId, string Name, string Platform, int InUse, int Max, int Waiting);

internal sealed record OpsConcurrencyDto(IReadOnlyList<OpsAccountConcurrency> Accounts, long TotalInUse, long TotalWaiting);

internal sealed record OpsUserConcurrency(long UserId, string Email, int InUse, int Max, int Waiting);

internal sealed record OpsUserConcurrencyDto(IReadOnlyList<OpsUserConcurrency> Users);

internal sealed record OpsAccountAvailability(long AccountId, string Name, string Platform, string Status, bool Schedulable, string State,
    DateTime? Until, string? Reason, DateTime? LastErrorAt, string? LastErrorMessage);

internal sealed record OpsAvailabilitySummary(int Available, int RateLimited, int Overloaded, int TempUnschedulable, int Error, int Disabled);

internal sealed record OpsAccountAvailabilityDto(IReadOnlyList<OpsAccountAvailability> Accounts, OpsAvailabilitySummary Summary);

/// <summary>One request of the drilldown: a success (from usage_logs) or what a client saw fail (a request-kind ops error).</summary>
internal sealed record OpsRequestRow(
    string RequestId,
    DateTime CreatedAt,
    string Kind,
    string? Platform,
    string? Model,
    int StatusCode,
    int? DurationMs,
    int? TtftMs,
    long? UserId,
    string? UserEmail,
    long? ApiKeyId,
    long? AccountId,
    string? AccountName,
    long? GroupId,
    long? Tokens,
    decimal? Cost,
    string? ErrorType,
    string? Message,
    bool Stream);

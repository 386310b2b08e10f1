namespace Sub2Api.Data.Entities;

/// <summary>
/// One failure the ops console shows (table <c>ops_error_logs</c>). Two kinds share the table:
/// <see cref="OpsErrorKinds.Request"/> rows are what a client saw (one per failed request), and
/// <see cref="OpsErrorKinds.Upstream"/> rows are each failed upstream attempt, also the ones another account then
/// served (<see cref="FailedOver"/>). Field names follow the original's ops error log so its tools read ours.
/// Never holds a key, token or prompt unless an admin turned body capture on, and then size-capped and redacted.
/// </summary>
internal sealed class OpsErrorLog
{
    public long Id { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary><see cref="OpsErrorKinds"/>: "request" or "upstream".</summary>
    public required string Kind { get; set; }
    /// <summary>request | auth | routing | upstream | network | internal (the original's phases).</summary>
    public required string Phase { get; set; }
    /// <summary>The error type the client saw (e.g. <c>rate_limit_error</c>) or the upstream failure (e.g. <c>RateLimited</c>).</summary>
    public required string Type { get; set; }
    /// <summary>client | provider | platform: whose fault it is.</summary>
    public required string Owner { get; set; }
    /// <summary>P0 … P3 (P0 worst), as the original grades them.</summary>
    public required string Severity { get; set; }
    public int StatusCode { get; set; }
    public string? Platform { get; set; }
    public string? Model { get; set; }
    public required string RequestId { get; set; }
    public required string Message { get; set; }
    public long? UserId { get; set; }
    public long? ApiKeyId { get; set; }
    public long? AccountId { get; set; }
    public long? GroupId { get; set; }
    public string? ClientIp { get; set; }
    public string? RequestPath { get; set; }
    public string? UserAgent { get; set; }
    public bool Stream { get; set; }
    public int? UpstreamStatusCode { get; set; }
    public string? UpstreamErrorMessage { get; set; }
    /// <summary>The upstream's error body, capped and redacted.</summary>
    public string? UpstreamErrorDetail { get; set; }
    /// <summary>An upstream attempt after which another account was tried.</summary>
    public bool FailedOver { get; set; }
    /// <summary>Which account switch of the request this was (0 = first account).</summary>
    public int Attempt { get; set; }
    public int? DurationMs { get; set; }
    public int? TimeToFirstTokenMs { get; set; }
    /// <summary>Only when body capture is on: the client's body, capped, with secrets removed.</summary>
    public string? RequestBody { get; set; }
    public int? RequestBodyBytes { get; set; }
    public bool RequestBodyTruncated { get; set; }
    public bool Resolved { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public long? ResolvedByUserId { get; set; }
}

internal static class OpsErrorKinds
{
    public const string Request = "request";
    public const string Upstream = "upstream";
}

/// <summary>An alert rule (table <c>ops_alert_rules</c>), in the original's field names.</summary>
internal sealed class OpsAlertRule : ITimestamped
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public bool Enabled { get; set; } = true;
    /// <summary>P0 (critical) … P3.</summary>
    public string Severity { get; set; } = "P2";
    /// <summary>success_rate, error_rate, upstream_error_rate, concurrency_queue_depth, group_available_accounts,
    /// group_available_ratio, account_rate_limited_count, account_error_count.</summary>
    public required string MetricType { get; set; }
    /// <summary>&gt; &gt;= &lt; &lt;= == !=</summary>
    public required string Operator { get; set; }
    public double Threshold { get; set; }
    public int WindowMinutes { get; set; } = 5;
    /// <summary>How long the condition must hold before the rule fires (0 = at the first breach).</summary>
    public int SustainedMinutes { get; set; }
    public int CooldownMinutes { get; set; } = 10;
    public bool NotifyEmail { get; set; }
    public bool NotifyWebhook { get; set; } = true;
    /// <summary>Optional dimensions, e.g. <c>{"platform":"anthropic","group_id":3}</c>, stored as JSON text.</summary>
    public string? Filters { get; set; }
    public DateTime? LastTriggeredAt { get; set; }
    /// <summary>Since when the condition has held without a break (for <see cref="SustainedMinutes"/>); null when it does not.</summary>
    public DateTime? BreachingSince { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A firing of a rule (table <c>ops_alert_events</c>): firing → resolved or manual_resolved.</summary>
internal sealed class OpsAlertEvent
{
    public long Id { get; set; }
    public long RuleId { get; set; }
    public required string Severity { get; set; }
    /// <summary>firing | resolved | manual_resolved.</summary>
    public required string Status { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public double? MetricValue { get; set; }
    public double? ThresholdValue { get; set; }
    /// <summary>JSON text, e.g. <c>{"platform":"anthropic"}</c>.</summary>
    public string? Dimensions { get; set; }
    public DateTime FiredAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public bool EmailSent { get; set; }
    public bool WebhookSent { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Mutes a rule (optionally for one platform or group) until a time (table <c>ops_alert_silences</c>).</summary>
internal sealed class OpsAlertSilence
{
    public long Id { get; set; }
    public long RuleId { get; set; }
    public string? Platform { get; set; }
    public long? GroupId { get; set; }
    public DateTime Until { get; set; }
    public string Reason { get; set; } = "";
    public long? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

using System.Text.Json;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Alerts;

/// <summary>
/// Body of <c>POST /ops/alert-rules</c> and <c>PUT /ops/alert-rules/:id</c> (on update a missing field keeps its value).
/// <c>filters</c> is read by hand so an unknown dimension is a clear 400 instead of being dropped.
/// </summary>
internal sealed record AlertRuleRequest(
    string? Name,
    string? Description,
    bool? Enabled,
    string? Severity,
    string? MetricType,
    string? Operator,
    double? Threshold,
    int? WindowMinutes,
    int? SustainedMinutes,
    int? CooldownMinutes,
    bool? NotifyEmail,
    bool? NotifyWebhook,
    JsonElement? Filters);

/// <summary>The dimensions a rule may narrow to: one platform and/or one group.</summary>
internal sealed record AlertFilters(string? Platform, long? GroupId)
{
    public static readonly AlertFilters None = new(null, null);

    public bool IsEmpty => Platform is null && GroupId is null;

    public string? ToJson() => IsEmpty ? null : JsonSerializer.Serialize(this, AlertJson.Options);

    public static AlertFilters Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }
        try
        {
            return JsonSerializer.Deserialize<AlertFilters>(json, AlertJson.Options) ?? None;
        }
        catch (JsonException)
        {
            return None;
        }
    }
}

/// <summary>An alert rule as the ops API shows it (the original's field names).</summary>
internal sealed record AlertRuleDto(
    long Id,
    string Name,
    string Description,
    bool Enabled,
    string Severity,
    string MetricType,
    string Operator,
    double Threshold,
    int WindowMinutes,
    int SustainedMinutes,
    int CooldownMinutes,
    bool NotifyEmail,
    bool NotifyWebhook,
    AlertFilters Filters,
    DateTime? LastTriggeredAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static AlertRuleDto From(OpsAlertRule r) => new(r.Id, r.Name, r.Description, r.Enabled, r.Severity, r.MetricType, r.Operator,
        r.Threshold, r.WindowMinutes, r.SustainedMinutes, r.CooldownMinutes, r.NotifyEmail, r.NotifyWebhook, AlertFilters.Parse(r.Filters),
        r.LastTriggeredAt, r.CreatedAt, r.UpdatedAt);
}

/// <summary>A rule's firing as the ops API shows it.</summary>
internal sealed record AlertEventDto(
    long Id,
    long RuleId,
    string? RuleName,
    string Severity,
    string Status,
    string Title,
    string Description,
    double? MetricValue,
    double? ThresholdValue,
    AlertFilters Dimensions,
    DateTime FiredAt,
    DateTime? ResolvedAt,
    bool EmailSent,
    bool WebhookSent)
{
    public static AlertEventDto From(OpsAlertEvent e, string? ruleName) => new(e.Id, e.RuleId, ruleName, e.Severity, e.Status, e.Title,
        e.Description, e.MetricValue, e.ThresholdValue, AlertFilters.Parse(e.Dimensions), e.FiredAt, e.ResolvedAt, e.EmailSent, e.WebhookSent);
}

/// <summary>Body of <c>PUT /ops/alert-events/:id/status</c>.</summary>
internal sealed record AlertEventStatusRequest(string? Status);

/// <summary>Body of <c>POST /ops/alert-silences</c>.</summary>
internal sealed record AlertSilenceRequest(long? RuleId, string? Platform, long? GroupId, DateTime? Until, string? Reason);

internal sealed record AlertSilenceDto(long Id, long RuleId, string? Platform, long? GroupId, DateTime Until, string Reason, long? CreatedBy,
    DateTime CreatedAt)
{
    public static AlertSilenceDto From(OpsAlertSilence s) => new(s.Id, s.RuleId, s.Platform, s.GroupId, s.Until, s.Reason, s.CreatedBy, s.CreatedAt);
}

/// <summary>snake_case JSON for what alerting stores (filters, the notification config) and sends (webhooks).</summary>
internal static class AlertJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Common.JsonDefaults.Apply(options);
        return options;
    }
}

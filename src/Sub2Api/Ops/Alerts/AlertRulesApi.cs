using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Alerts;

/// <summary><c>/api/v1/admin/ops/alert-rules</c> CRUD, with the original's field names and limits.</summary>
internal static class AlertRulesApi
{
    public const int MaxWindowMinutes = 1440;
    public const int MaxSustainedMinutes = 1440;
    public const int MaxCooldownMinutes = 10080;

    public static void MapAlertRules(this RouteGroupBuilder ops)
    {
        var rules = ops.MapGroup("/alert-rules");
        rules.MapGet("", async (Sub2ApiDbContext db, CancellationToken ct) => Api.Ok(
            (await db.OpsAlertRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct)).Select(AlertRuleDto.From).ToList()));
        rules.MapGet("/{id}", async (long id, Sub2ApiDbContext db, CancellationToken ct) =>
            await db.OpsAlertRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } rule
                ? Api.Ok(AlertRuleDto.From(rule))
                : NotFound(id));
        rules.MapPost("", CreateAsync);
        rules.MapPut("/{id}", UpdateAsync);
        rules.MapDelete("/{id}", DeleteAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"alert rule {id} not found");

    private static async Task<IResult> CreateAsync(AlertRuleRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (req.MetricType is null || req.Operator is null || req.Threshold is null)
        {
            return Api.BadRequest("name, metric_type, operator and threshold are required");
        }
        var rule = new OpsAlertRule { Name = "", MetricType = "", Operator = "" };
        if (await ApplyAsync(rule, req, db, ct) is { } error)
        {
            return Api.BadRequest(error);
        }
        db.OpsAlertRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return Api.Ok(AlertRuleDto.From(rule));
    }

    private static async Task<IResult> UpdateAsync(long id, AlertRuleRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var rule = await db.OpsAlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return NotFound(id);
        }
        var condition = (rule.MetricType, rule.Operator, rule.Threshold, rule.WindowMinutes, rule.Filters);
        if (await ApplyAsync(rule, req, db, ct) is { } error)
        {
            return Api.BadRequest(error);
        }
        if (condition != (rule.MetricType, rule.Operator, rule.Threshold, rule.WindowMinutes, rule.Filters) || !rule.Enabled)
        {
            // A changed condition starts its sustained period afresh: the old breach was a breach of something else.
            rule.BreachingSince = null;
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(AlertRuleDto.From(rule));
    }

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var rule = await db.OpsAlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return NotFound(id);
        }
        // The rule's history and silences go with it: an event without its rule could never be resolved.
        await db.OpsAlertEvents.Where(e => e.RuleId == id).ExecuteDeleteAsync(ct);
        await db.OpsAlertSilences.Where(s => s.RuleId == id).ExecuteDeleteAsync(ct);
        db.OpsAlertRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "Alert rule deleted successfully" });
    }

    /// <summary>Copies the fields that were sent, then checks the whole rule; the message of the first problem, or null.</summary>
    private static async Task<string?> ApplyAsync(OpsAlertRule rule, AlertRuleRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        rule.Name = req.Name?.Trim() ?? rule.Name;
        rule.Description = req.Description?.Trim() ?? rule.Description;
        rule.Enabled = req.Enabled ?? rule.Enabled;
        rule.Severity = req.Severity?.Trim().ToUpperInvariant() ?? rule.Severity;
        rule.MetricType = req.MetricType?.Trim() ?? rule.MetricType;
        rule.Operator = req.Operator?.Trim() ?? rule.Operator;
        rule.Threshold = req.Threshold ?? rule.Threshold;
        rule.WindowMinutes = req.WindowMinutes ?? rule.WindowMinutes;
        rule.SustainedMinutes = req.SustainedMinutes ?? rule.SustainedMinutes;
        rule.CooldownMinutes = req.CooldownMinutes ?? rule.CooldownMinutes;
        rule.NotifyEmail = req.NotifyEmail ?? rule.NotifyEmail;
        rule.NotifyWebhook = req.NotifyWebhook ?? rule.NotifyWebhook;
        var filters = AlertFilters.Parse(rule.Filters);
        if (req.Filters is { } sent)
        {
            var (parsed, filterError) = ParseFilters(sent);
            if (filterError is not null)
            {
                return filterError;
            }
            filters = parsed!;
            rule.Filters = filters.ToJson();
        }
        var error = Validate.First(
            Validate.Required(rule.Name, "name", 128),
            rule.Description.Length > 2000 ? "description must be at most 2000 characters" : null,
            Validate.OneOf(rule.Severity, "severity", AlertCatalog.Severities),
            Validate.OneOf(rule.MetricType, "metric_type", AlertCatalog.MetricTypes),
            Validate.OneOf(rule.Operator, "operator", AlertCatalog.Operators),
            double.IsFinite(rule.Threshold) ? null : "threshold must be a finite number",
            Validate.Range(rule.WindowMinutes, "window_minutes", 1, MaxWindowMinutes),
            Validate.Range(rule.SustainedMinutes, "sustained_minutes", 0, MaxSustainedMinutes),
            Validate.Range(rule.CooldownMinutes, "cooldown_minutes", 0, MaxCooldownMinutes),
            AlertCatalog.NeedsGroup(rule.MetricType) && filters.GroupId is null ? $"{rule.MetricType} needs filters.group_id" : null);
        if (error is not null)
        {
            return error;
        }
        if (filters.GroupId is { } groupId && !await db.Groups.AnyAsync(g => g.Id == groupId, ct))
        {
            return $"filters.group_id: group {groupId} not found";
        }
        return null;
    }

    /// <summary>Only <c>platform</c> and <c>group_id</c> are dimensions; anything else is refused, not ignored.</summary>
    internal static (AlertFilters? Filters, string? Error) ParseFilters(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return (AlertFilters.None, null);
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, "filters must be an object like {\"platform\":\"anthropic\",\"group_id\":1}");
        }
        string? platform = null;
        long? groupId = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "platform" when property.Value.ValueKind == JsonValueKind.Null:
                case "group_id" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "platform":
                    platform = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()!.Trim().ToLowerInvariant() : null;
                    if (platform == "")
                    {
                        platform = null;
                    }
                    else if (platform is null || !Platforms.All.Contains(platform))
                    {
                        return (null, $"filters.platform must be one of: {string.Join(", ", Platforms.All)}");
                    }
                    break;
                case "group_id":
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var id) || id < 1)
                    {
                        return (null, "filters.group_id must be a positive integer");
                    }
                    groupId = id;
                    break;
                default:
                    return (null, $"filters: unknown dimension '{Truncate(property.Name)}' (only platform and group_id)");
            }
        }
        return (new AlertFilters(platform, groupId), null);
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

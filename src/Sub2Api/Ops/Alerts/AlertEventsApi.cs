using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Alerts;

/// <summary>
/// <c>/api/v1/admin/ops/alert-events</c>: the firing history (newest first, paged, filtered by status, severity,
/// rule and time), one event, and closing a firing event by hand.
/// </summary>
internal static class AlertEventsApi
{
    /// <summary>Ops lists are capped lower than the general page size: events carry long descriptions.</summary>
    public const int MaxPageSize = 500;

    public static void MapAlertEvents(this RouteGroupBuilder ops)
    {
        var events = ops.MapGroup("/alert-events");
        events.MapGet("", ListAsync);
        events.MapGet("/{id}", async (long id, Sub2ApiDbContext db, CancellationToken ct) =>
            await db.OpsAlertEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } row
                ? Api.Ok(AlertEventDto.From(row, await RuleNameAsync(db, row.RuleId, ct)))
                : NotFound(id));
        events.MapPut("/{id}/status", UpdateStatusAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"alert event {id} not found");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        page = page with { PageSize = Math.Min(page.PageSize, MaxPageSize) };
        var range = AlertTimeRange.FromQuery(request, time.GetUtcNow().UtcDateTime);
        var query = db.OpsAlertEvents.AsNoTracking();
        if (Text(request, "status") is { } status)
        {
            if (!AlertCatalog.EventStatuses.Contains(status))
            {
                return Api.BadRequest($"status must be one of: {string.Join(", ", AlertCatalog.EventStatuses)}");
            }
            query = query.Where(e => e.Status == status);
        }
        if (Text(request, "severity")?.ToUpperInvariant() is { } severity)
        {
            if (!AlertCatalog.Severities.Contains(severity))
            {
                return Api.BadRequest($"severity must be one of: {string.Join(", ", AlertCatalog.Severities)}");
            }
            query = query.Where(e => e.Severity == severity);
        }
        if (Text(request, "rule_id") is { } rawRule)
        {
            if (!long.TryParse(rawRule, NumberStyles.None, CultureInfo.InvariantCulture, out var ruleId) || ruleId < 1)
            {
                return Api.BadRequest("rule_id must be a positive integer");
            }
            query = query.Where(e => e.RuleId == ruleId);
        }
        if (range.From is { } from)
        {
            query = query.Where(e => e.FiredAt >= from);
        }
        if (range.Until is { } until)
        {
            query = query.Where(e => e.FiredAt <= until);
        }
        var result = await query.OrderByDescending(e => e.FiredAt).ThenByDescending(e => e.Id).ToPageAsync(page, e => e, ct);
        var ruleIds = result.Items.Select(e => e.RuleId).Distinct().ToList();
        var names = await db.OpsAlertRules.AsNoTracking().Where(r => ruleIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        return Api.Ok(new PagedResult<AlertEventDto>(
            result.Items.Select(e => AlertEventDto.From(e, names.GetValueOrDefault(e.RuleId))).ToList(),
            result.Total, result.Page, result.PageSize, result.Pages));
    }

    /// <summary>Only a firing event may be closed by hand; resolved ones are history.</summary>
    private static async Task<IResult> UpdateStatusAsync(long id, AlertEventStatusRequest req, Sub2ApiDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        if (req.Status != AlertCatalog.ManualResolved)
        {
            return Api.BadRequest($"status must be \"{AlertCatalog.ManualResolved}\"");
        }
        var row = await db.OpsAlertEvents.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null)
        {
            return NotFound(id);
        }
        if (row.Status != AlertCatalog.Firing)
        {
            return Api.BadRequest($"only a firing event can be resolved by hand (this one is {row.Status})");
        }
        row.Status = AlertCatalog.ManualResolved;
        row.ResolvedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Api.Ok(AlertEventDto.From(row, await RuleNameAsync(db, row.RuleId, ct)));
    }

    private static Task<string?> RuleNameAsync(Sub2ApiDbContext db, long ruleId, CancellationToken ct) =>
        db.OpsAlertRules.AsNoTracking().Where(r => r.Id == ruleId).Select(r => (string?)r.Name).FirstOrDefaultAsync(ct);

    private static string? Text(HttpRequest request, string name) =>
        request.Query[name].ToString().Trim() is { Length: > 0 } value ? value : null;
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Alerts;

/// <summary><c>/api/v1/admin/ops/alert-silences</c>: mute a rule (optionally for one platform or group) until a time.</summary>
internal static class AlertSilencesApi
{
    public static void MapAlertSilences(this RouteGroupBuilder ops)
    {
        var silences = ops.MapGroup("/alert-silences");
        silences.MapGet("", async (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            // Active silences by default; ?include_expired=true shows the past ones too.
            var query = db.OpsAlertSilences.AsNoTracking();
            if (request.Query["include_expired"].ToString() != "true")
            {
                var now = time.GetUtcNow().UtcDateTime;
                query = query.Where(s => s.Until > now);
            }
            var rows = await query.OrderByDescending(s => s.Id).Take(1000).ToListAsync(ct);
            return Api.Ok(rows.Select(AlertSilenceDto.From).ToList());
        });
        silences.MapPost("", CreateAsync);
        silences.MapDelete("/{id}", async (long id, Sub2ApiDbContext db, CancellationToken ct) =>
            await db.OpsAlertSilences.Where(s => s.Id == id).ExecuteDeleteAsync(ct) > 0
                ? Api.Ok(new { message = "Alert silence deleted successfully" })
                : Api.NotFound($"alert silence {id} not found"));
    }

    private static async Task<IResult> CreateAsync(AlertSilenceRequest req, Auth.CurrentUser me, Sub2ApiDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var platform = string.IsNullOrWhiteSpace(req.Platform) ? null : req.Platform.Trim().ToLowerInvariant();
        var error = Validate.First(
            req.RuleId is null or < 1 ? "rule_id is required" : null,
            req.Until is null ? "until is required (RFC 3339 time)" : null,
            req.Until is { } until && until.ToUniversalTime() <= now ? "until must be in the future" : null,
            platform is not null && !Platforms.All.Contains(platform) ? $"platform must be one of: {string.Join(", ", Platforms.All)}" : null,
            req.GroupId is < 1 ? "group_id must be a positive integer" : null,
            req.Reason?.Length > 500 ? "reason must be at most 500 characters" : null);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        if (!await db.OpsAlertRules.AnyAsync(r => r.Id == req.RuleId, ct))
        {
            return Api.NotFound($"alert rule {req.RuleId} not found");
        }
        var silence = new OpsAlertSilence
        {
            RuleId = req.RuleId!.Value,
            Platform = platform,
            GroupId = req.GroupId,
            Until = req.Until!.Value.ToUniversalTime(),
            Reason = req.Reason?.Trim() ?? "",
            CreatedBy = me.Id,
            CreatedAt = now,
        };
        db.OpsAlertSilences.Add(silence);
        await db.SaveChangesAsync(ct);
        return Api.Ok(AlertSilenceDto.From(silence));
    }
}

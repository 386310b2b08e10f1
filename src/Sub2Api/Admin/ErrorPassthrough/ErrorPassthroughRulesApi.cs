using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.ErrorPassthrough;

/// <summary>
/// <c>/api/v1/admin/error-passthrough-rules</c> CRUD. Every save moves the rules' configuration generation (the
/// save interceptor watches the table), so the relay's in-memory copy reloads on every node.
/// </summary>
internal static class ErrorPassthroughRulesApi
{
    private static readonly string[] MatchModes = ["any", "all"];
    private const int MaxKeywords = 100;
    private const int MaxCodes = 100;

    public static void MapAdminErrorPassthroughRules(this RouteGroupBuilder admin)
    {
        var rules = admin.MapGroup("/error-passthrough-rules");
        rules.MapGet("", async (Sub2ApiDbContext db, CancellationToken ct) => Api.Ok(
            (await db.ErrorPassthroughRules.AsNoTracking().OrderBy(r => r.Priority).ThenBy(r => r.Id).ToListAsync(ct))
            .Select(ErrorPassthroughRuleDto.From).ToList()));
        rules.MapGet("/{id:long}", async (long id, Sub2ApiDbContext db, CancellationToken ct) =>
            await db.ErrorPassthroughRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } rule
                ? Api.Ok(ErrorPassthroughRuleDto.From(rule))
                : NotFound(id));
        rules.MapPost("", CreateAsync);
        rules.MapPut("/{id:long}", UpdateAsync);
        rules.MapDelete("/{id:long}", DeleteAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"error passthrough rule {id} not found");

    private static async Task<IResult> CreateAsync(ErrorPassthroughRuleRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var rule = new ErrorPassthroughRule { Name = "" };
        Apply(rule, req);
        if (Check(rule) is { } error)
        {
            return Api.BadRequest(error);
        }
        db.ErrorPassthroughRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return Api.Ok(ErrorPassthroughRuleDto.From(rule));
    }

    private static async Task<IResult> UpdateAsync(long id, ErrorPassthroughRuleRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var rule = await db.ErrorPassthroughRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return NotFound(id);
        }
        Apply(rule, req);
        if (Check(rule) is { } error)
        {
            return Api.BadRequest(error);
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(ErrorPassthroughRuleDto.From(rule));
    }

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var rule = await db.ErrorPassthroughRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return NotFound(id);
        }
        db.ErrorPassthroughRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "Rule deleted successfully" });
    }

    /// <summary>Copies the fields that were sent (trimmed; empty keywords and duplicates dropped).</summary>
    private static void Apply(ErrorPassthroughRule rule, ErrorPassthroughRuleRequest req)
    {
        rule.Name = req.Name?.Trim() ?? rule.Name;
        rule.Enabled = req.Enabled ?? rule.Enabled;
        rule.Priority = req.Priority ?? rule.Priority;
        rule.ErrorCodes = req.ErrorCodes?.Distinct().ToList() ?? rule.ErrorCodes;
        rule.Keywords = req.Keywords?.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Distinct().ToList() ?? rule.Keywords;
        rule.MatchMode = req.MatchMode?.Trim().ToLowerInvariant() ?? rule.MatchMode;
        rule.Platforms = req.Platforms?.Select(p => p.Trim().ToLowerInvariant()).Distinct().ToList() ?? rule.Platforms;
        rule.PassthroughCode = req.PassthroughCode ?? rule.PassthroughCode;
        rule.ResponseCode = req.ResponseCode ?? rule.ResponseCode;
        rule.PassthroughBody = req.PassthroughBody ?? rule.PassthroughBody;
        rule.CustomMessage = req.CustomMessage ?? rule.CustomMessage;
        rule.SkipMonitoring = req.SkipMonitoring ?? rule.SkipMonitoring;
        rule.Description = req.Description ?? rule.Description;
    }

    /// <summary>The original's rule checks, plus ranges for codes and known platforms.</summary>
    private static string? Check(ErrorPassthroughRule r) => Validate.First(
        Validate.Required(r.Name, "name", 100),
        Validate.OneOf(r.MatchMode, "match_mode", MatchModes),
        r.ErrorCodes.Count == 0 && r.Keywords.Count == 0 ? "at least one error_code or keyword is required" : null,
        r.ErrorCodes.Count > MaxCodes ? $"error_codes may hold at most {MaxCodes} codes" : null,
        r.ErrorCodes.Any(c => c is < 100 or > 599) ? "error_codes must be HTTP status codes (100-599)" : null,
        r.Keywords.Count > MaxKeywords ? $"keywords may hold at most {MaxKeywords} entries" : null,
        r.Keywords.Any(k => k.Length > 500) ? "keywords must be at most 500 characters each" : null,
        r.Platforms.FirstOrDefault(p => !Platforms.All.Contains(p)) is { } unknown
            ? $"platforms: unknown platform '{unknown}' (one of: {string.Join(", ", Platforms.All)})" : null,
        !r.PassthroughCode && r.ResponseCode is not (>= 100 and <= 599) ? "response_code is required when passthrough_code is false (100-599)" : null,
        r.ResponseCode is not null and not (>= 100 and <= 599) ? "response_code must be an HTTP status code (100-599)" : null,
        !r.PassthroughBody && string.IsNullOrWhiteSpace(r.CustomMessage) ? "custom_message is required when passthrough_body is false" : null,
        r.CustomMessage?.Length > 2000 ? "custom_message must be at most 2000 characters" : null,
        r.Description?.Length > 2000 ? "description must be at most 2000 characters" : null);
}

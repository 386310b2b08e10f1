using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Subscriptions;

namespace Sub2Api.Codes;

/// <summary><c>/api/v1/admin/redeem-codes</c>: generate, list, export, expire and delete codes.</summary>
internal static class AdminRedeemCodesApi
{
    public static void MapAdminRedeemCodes(this RouteGroupBuilder admin)
    {
        var codes = admin.MapGroup("/redeem-codes");
        codes.MapGet("", ListAsync);
        codes.MapGet("/stats", StatsAsync);
        codes.MapGet("/export", RedeemCodeExport.ExportAsync);
        // No route constraint on {id}: a non-numeric id becomes a 400 envelope instead of an empty 404.
        codes.MapGet("/{id}", GetAsync);
        codes.MapPost("/generate", GenerateAsync);
        codes.MapDelete("/{id}", DeleteAsync);
        codes.MapPost("/batch-delete", BatchDeleteAsync);
        codes.MapPost("/{id}/expire", ExpireAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"redeem code {id} not found", "REDEEM_CODE_NOT_FOUND");

    /// <summary>The list and export filters; an unknown type or status is a 400, not an empty list.</summary>
    public static string? Filter(Sub2ApiDbContext db, string? type, string? status, string? search, out IQueryable<RedeemCode> query)
    {
        query = db.RedeemCodes.AsNoTracking().OnlyCodes();
        var error = Validate.First(
            Validate.OneOf(string.IsNullOrEmpty(type) ? null : type, "type", RedeemCodeRules.CodeTypes, required: false),
            Validate.OneOf(string.IsNullOrEmpty(status) ? null : status, "status", RedeemCodeRules.CodeStatuses, required: false));
        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(r => r.Type == type);
        }
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(r => r.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            term = term.Length > 100 ? term[..100] : term;
            var upper = term.ToUpperInvariant();
            var lower = term.ToLowerInvariant();
            // A code, or the email of the user who used it.
            query = query.Where(r => r.Code.Contains(upper)
                || db.Users.IgnoreQueryFilters().Any(u => u.Id == r.UsedBy && u.Email.ToLower().Contains(lower)));
        }
        query = query.OrderByDescending(r => r.Id);
        return error;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, string? type, string? status,
        string? search, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (Filter(db, type, status, search, out var query) is { } error)
        {
            return Api.BadRequest(error);
        }
        var total = await query.LongCountAsync(ct);
        var rows = await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return Api.Ok(page.Wrap(await RedeemCodeViews.AdminAsync(db, rows, ct), total));
    }

    private static async Task<IResult> StatsAsync(Sub2ApiDbContext db, CancellationToken ct)
    {
        var byStatusAndType = await db.RedeemCodes.AsNoTracking().OnlyCodes()
            .GroupBy(r => new { r.Status, r.Type })
            .Select(g => new { g.Key.Status, g.Key.Type, Count = g.LongCount() })
            .ToListAsync(ct);
        // Money only: concurrency slots and invitation codes have no value in dollars.
        var distributed = await db.RedeemCodes.AsNoTracking()
            .Where(r => r.Type == RedeemTypes.Balance && r.Status == Statuses.Used)
            .Select(r => r.Value).ToListAsync(ct);
        long Count(Func<string, bool> status) => byStatusAndType.Where(s => status(s.Status)).Sum(s => s.Count);
        var byType = RedeemCodeRules.CodeTypes.ToDictionary(t => t, t => byStatusAndType.Where(s => s.Type == t).Sum(s => s.Count));
        return Api.Ok(new RedeemCodeStatsDto(
            Count(_ => true), Count(s => s == Statuses.Unused), Count(s => s == Statuses.Used), Count(s => s == Statuses.Expired),
            distributed.Sum(), byType));
    }

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var row = await db.RedeemCodes.AsNoTracking().OnlyCodes().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row is null ? NotFound(id) : Api.Ok((await RedeemCodeViews.AdminAsync(db, [row], ct))[0]);
    }

    private static async Task<IResult> GenerateAsync(GenerateRedeemCodesRequest req, Sub2ApiDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        if (CheckGenerate(req) is { } error)
        {
            return Api.BadRequest(error);
        }
        long? groupId = null;
        if (req.Type == RedeemTypes.Subscription)
        {
            var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == req.GroupId, ct);
            if (group is null)
            {
                return Api.BadRequest($"group_id: group {req.GroupId} not found", "GROUP_NOT_FOUND");
            }
            if (group.SubscriptionType != SubscriptionTypes.Subscription)
            {
                return Api.BadRequest("group_id: the group is not a subscription group", "GROUP_NOT_SUBSCRIPTION");
            }
            groupId = group.Id;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var created = Enumerable.Range(0, req.Count!.Value).Select(_ => new RedeemCode
        {
            Code = RedeemCodeFormat.NewRedeemCode(),
            Type = req.Type!,
            // An invitation code only admits a new user; it carries nothing to redeem.
            Value = req.Type == RedeemTypes.Invitation ? 0m : req.Value!.Value,
            Status = Statuses.Unused,
            GroupId = groupId,
            ValidityDays = req.ValidityDays ?? RedeemCodeRules.DefaultValidityDays,
            Notes = req.Notes?.Trim() ?? "",
            CreatedAt = now,
        }).ToList();
        db.RedeemCodes.AddRange(created);
        await db.SaveChangesAsync(ct);
        return Api.Ok(await RedeemCodeViews.AdminAsync(db, created, ct));
    }

    private static string? CheckGenerate(GenerateRedeemCodesRequest req) => Validate.First(
        req.Count is null ? "count is required" : Validate.Range(req.Count, "count", 1, RedeemCodeRules.MaxCount),
        Validate.OneOf(req.Type, "type", RedeemCodeRules.CodeTypes),
        req.Type == RedeemTypes.Invitation ? MoneyBounds.Amount(req.Value, "value")
            : req.Value is null ? "value is required" : MoneyBounds.PositiveAmount(req.Value, "value"),
        req.Type == RedeemTypes.Concurrency && req.Value is { } v && (v != decimal.Truncate(v) || v > RedeemCodeRules.MaxConcurrencyValue)
            ? $"value: a concurrency code adds a whole number of slots (1 to {RedeemCodeRules.MaxConcurrencyValue})"
            : null,
        req.Type == RedeemTypes.Subscription && req.GroupId is null ? "group_id is required for subscription codes" : null,
        Validate.Range(req.ValidityDays, "validity_days", 1, SubscriptionAssigner.MaxValidityDays),
        req.Notes?.Length > RedeemCodeRules.MaxNotesLength ? $"notes must be at most {RedeemCodeRules.MaxNotesLength} characters" : null);

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var deleted = await db.RedeemCodes.OnlyCodes().Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? NotFound(id) : Api.Ok(new { message = "Redeem code deleted successfully" });
    }

    private static async Task<IResult> BatchDeleteAsync(BatchDeleteRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (req.Ids is null || req.Ids.Count == 0)
        {
            return Api.BadRequest("ids is required (at least one id)");
        }
        if (req.Ids.Count > 1000)
        {
            return Api.BadRequest("ids: at most 1000 per request");
        }
        var ids = req.Ids.Distinct().ToList();
        var deleted = await db.RedeemCodes.OnlyCodes().Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
        return Api.Ok(new { deleted, message = "Redeem codes deleted successfully" });
    }

    private static async Task<IResult> ExpireAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var codes = db.RedeemCodes.OnlyCodes().Where(r => r.Id == id);
        // Conditional, so a code redeemed a moment ago is never turned back into "expired".
        await codes.Where(r => r.Status == Statuses.Unused).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, Statuses.Expired), ct);
        var row = await codes.AsNoTracking().FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return NotFound(id);
        }
        if (row.Status == Statuses.Used)
        {
            return Api.Conflict("redeem code already used", "REDEEM_CODE_USED");
        }
        return Api.Ok((await RedeemCodeViews.AdminAsync(db, [row], ct))[0]);
    }
}

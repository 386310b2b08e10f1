using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Codes;

/// <summary><c>/api/v1/admin/promo-codes</c>: registration bonus codes and who used them.</summary>
internal static class PromoCodesApi
{
    public static void MapAdminPromoCodes(this RouteGroupBuilder admin)
    {
        var promos = admin.MapGroup("/promo-codes");
        promos.MapGet("", ListAsync);
        promos.MapPost("", CreateAsync);
        promos.MapGet("/{id}", GetAsync);
        promos.MapPut("/{id}", UpdateAsync);
        promos.MapDelete("/{id}", DeleteAsync);
        promos.MapGet("/{id}/usages", UsagesAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"promo code {id} not found", "PROMO_CODE_NOT_FOUND");

    private static IResult CodeTaken() => Api.Conflict("a promo code with this code already exists", "PROMO_CODE_EXISTS");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, string? status, string? search,
        CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (Validate.OneOf(string.IsNullOrEmpty(status) ? null : status, "status", PromoCodeRules.PromoStatuses, required: false) is { } error)
        {
            return Api.BadRequest(error);
        }
        var query = db.PromoCodes.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(p => p.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = PromoCodeRules.Normalize(search.Length > 100 ? search[..100] : search);
            query = query.Where(p => p.Code.Contains(term) || p.Notes.Contains(search.Trim()));
        }
        return Api.Ok(await query.OrderByDescending(p => p.Id).ToPageAsync(page, PromoCodeDto.From, ct));
    }

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, CancellationToken ct) =>
        await db.PromoCodes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } promo
            ? Api.Ok(PromoCodeDto.From(promo))
            : NotFound(id);

    private static async Task<IResult> CreateAsync(PromoCodeRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (PromoCodeRules.Check(req, creating: true) is { } error)
        {
            return Api.BadRequest(error);
        }
        var promo = new PromoCode
        {
            Code = string.IsNullOrWhiteSpace(req.Code) ? RedeemCodeFormat.NewPromoCode() : PromoCodeRules.Normalize(req.Code),
            BonusAmount = req.BonusAmount!.Value,
            MaxUses = req.MaxUses ?? 0,
            ExpiresAt = req.ExpiresAt is { } seconds ? PromoCodeRules.ExpiryFrom(seconds) : null,
            Notes = req.Notes?.Trim() ?? "",
            Status = req.Status ?? Statuses.Active,
        };
        db.PromoCodes.Add(promo);
        return await db.TrySaveUniqueAsync(ct) ? Api.Ok(PromoCodeDto.From(promo)) : CodeTaken();
    }

    private static async Task<IResult> UpdateAsync(long id, PromoCodeRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var promo = await db.PromoCodes.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promo is null)
        {
            return NotFound(id);
        }
        if (PromoCodeRules.Check(req, creating: false) is { } error)
        {
            return Api.BadRequest(error);
        }
        if (req.Code is not null)
        {
            promo.Code = PromoCodeRules.Normalize(req.Code);
        }
        promo.BonusAmount = req.BonusAmount ?? promo.BonusAmount;
        promo.MaxUses = req.MaxUses ?? promo.MaxUses;
        promo.Status = req.Status ?? promo.Status;
        promo.Notes = req.Notes?.Trim() ?? promo.Notes;
        if (req.ExpiresAt is { } seconds)
        {
            promo.ExpiresAt = PromoCodeRules.ExpiryFrom(seconds);
        }
        return await db.TrySaveUniqueAsync(ct) ? Api.Ok(PromoCodeDto.From(promo)) : CodeTaken();
    }

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.PromoCodes.Where(p => p.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return NotFound(id);
        }
        // The bonus stays on the users' balances; only the record of the code goes.
        await db.PromoCodeUsages.Where(u => u.PromoCodeId == id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return Api.Ok(new { message = "Promo code deleted successfully" });
    }

    private static async Task<IResult> UsagesAsync(long id, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (!await db.PromoCodes.AnyAsync(p => p.Id == id, ct))
        {
            return NotFound(id);
        }
        var query = db.PromoCodeUsages.AsNoTracking().Where(u => u.PromoCodeId == id).OrderByDescending(u => u.Id)
            .Select(u => new
            {
                Usage = u,
                User = db.Users.IgnoreQueryFilters().Where(x => x.Id == u.UserId)
                    .Select(x => new CodeUserDto(x.Id, x.Email, x.Username)).FirstOrDefault(),
            });
        return Api.Ok(await query.ToPageAsync(page,
            r => new PromoCodeUsageDto(r.Usage.Id, r.Usage.PromoCodeId, r.Usage.UserId, r.Usage.BonusAmount, r.Usage.UsedAt, r.User), ct));
    }
}

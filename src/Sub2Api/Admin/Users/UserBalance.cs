using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Admin.Users;

/// <summary>
/// Admin balance adjustments. The balance changes in one conditional UPDATE (no read-modify-write, so a
/// concurrent request deduction is never lost) and the history row is written in the same transaction.
/// </summary>
internal static class UserBalance
{
    public static async Task<IResult> AdjustAsync(long id, BalanceRequest req, Sub2ApiDbContext db, ConfigGeneration generation,
        CancellationToken ct)
    {
        var error = Validate.First(
            req.Balance is null ? "balance is required" : MoneyBounds.PositiveAmount(req.Balance, "balance"),
            Validate.OneOf(req.Operation, "operation", BalanceOperations.All),
            req.Notes?.Length > 2000 ? "notes must be at most 2000 characters" : null);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var amount = req.Balance!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var before = await db.Users.Where(u => u.Id == id).Select(u => (decimal?)u.Balance).FirstOrDefaultAsync(ct);
        if (before is null)
        {
            return Api.NotFound("user not found");
        }
        var users = db.Users.Where(u => u.Id == id);
        var changed = req.Operation switch
        {
            // The bound is checked in the same UPDATE, so a concurrent add cannot push the sum past it either.
            BalanceOperations.Add => await users.Where(u => u.Balance <= MoneyBounds.MaxAmount - amount)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Balance, u => u.Balance + amount), ct),
            BalanceOperations.Subtract => await users.Where(u => u.Balance >= amount)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Balance, u => u.Balance - amount), ct),
            _ => await users.ExecuteUpdateAsync(s => s.SetProperty(u => u.Balance, amount), ct),
        };
        if (changed == 0)
        {
            return req.Operation == BalanceOperations.Add
                ? Api.BadRequest($"balance: the new balance would exceed {MoneyBounds.MaxAmount}")
                : Api.BadRequest("balance: cannot subtract more than the user's current balance", "INSUFFICIENT_BALANCE");
        }
        var after = await db.Users.Where(u => u.Id == id).Select(u => u.Balance).FirstAsync(ct);
        var now = DateTime.UtcNow;
        db.RedeemCodes.Add(new RedeemCode
        {
            Code = NewHistoryCode(),
            Type = RedeemTypes.AdminBalance,
            Value = after - before.Value,
            Status = Statuses.Used,
            UsedBy = id,
            UsedAt = now,
            Notes = req.Notes ?? "",
            CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        generation.Bump(ConfigScope.Callers); // the relay's balance view reloads on the next request
        var user = await db.Users.AsNoTracking().Include(u => u.AllowedGroups).Include(u => u.GroupRates).AsSplitQuery()
            .FirstAsync(u => u.Id == id, ct);
        return Api.Ok(AdminUserDto.From(user));
    }

    public static async Task<IResult> HistoryAsync(long id, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return Api.NotFound("user not found");
        }
        var query = db.RedeemCodes.AsNoTracking()
            .Where(r => r.UsedBy == id && (r.Type == RedeemTypes.AdminBalance || r.Type == RedeemTypes.AdminConcurrency
                || r.Type == RedeemTypes.Balance || r.Type == RedeemTypes.Concurrency))
            .OrderByDescending(r => r.Id);
        return Api.Ok(await query.ToPageAsync(PageRequest.From(request), BalanceHistoryDto.From, ct));
    }

    /// <summary>The original's redeem-code shape: 16 random bytes as upper hex in four blocks of eight.</summary>
    private static string NewHistoryCode()
    {
        var hex = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return $"{hex[..8]}-{hex[8..16]}-{hex[16..24]}-{hex[24..]}";
    }
}

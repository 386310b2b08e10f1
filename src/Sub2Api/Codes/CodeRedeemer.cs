using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth.Challenges;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Subscriptions;

namespace Sub2Api.Codes;

/// <summary>
/// Redeems a code for a user. The code is claimed with one conditional UPDATE (<c>status='unused'</c>) inside the
/// transaction that applies it, so two concurrent redemptions of one code can never both succeed: the loser's
/// UPDATE matches no row and gets 409, and a failed apply rolls the claim back.
/// </summary>
internal sealed class CodeRedeemer(Sub2ApiDbContext db, ConfigGeneration generation, TimeProvider time)
{
    public async Task<IResult> RedeemAsync(long userId, string? rawCode, CancellationToken ct)
    {
        var code = rawCode?.Trim() ?? "";
        if (code.Length == 0)
        {
            return Api.BadRequest("code is required");
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (await FailureBudget.Redeem.RefuseWhenExhaustedAsync(db, userId, now, ct) is { } exhausted)
        {
            return exhausted;
        }
        if (code.Length > RedeemCodeFormat.MaxLength)
        {
            return await FailAsync(userId, now, Api.NotFound("redeem code not found", "REDEEM_CODE_NOT_FOUND"), ct);
        }
        var row = await db.RedeemCodes.AsNoTracking().OnlyCodes().FirstOrDefaultAsync(r => r.Code == code, ct);
        if (row is null)
        {
            return await FailAsync(userId, now, Api.NotFound("redeem code not found", "REDEEM_CODE_NOT_FOUND"), ct);
        }
        if (row.Status != Statuses.Unused)
        {
            return await FailAsync(userId, now, Unusable(row.Status), ct);
        }
        if (row.Type == RedeemTypes.Invitation)
        {
            return await FailAsync(userId, now, Api.BadRequest("an invitation code is used when registering, not redeemed", "REDEEM_CODE_INVALID"), ct);
        }
        if (row.Type == RedeemTypes.Subscription && row.GroupId is null)
        {
            return Api.BadRequest("invalid subscription redeem code: missing group_id", "REDEEM_CODE_INVALID");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.RedeemCodes.Where(r => r.Id == row.Id && r.Status == Statuses.Unused)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, Statuses.Used)
                .SetProperty(r => r.UsedBy, userId)
                .SetProperty(r => r.UsedAt, now), ct);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(ct); // nothing was claimed; the failure is counted outside the transaction
            return await FailAsync(userId, now, Api.Conflict("redeem code already used", "REDEEM_CODE_USED"), ct);
        }
        var applied = await ApplyAsync(row, userId, now, ct);
        if (applied.Error is { } error)
        {
            return error; // the transaction is disposed uncommitted: the claim is rolled back
        }
        await transaction.CommitAsync(ct);
        // ExecuteUpdate bypasses the change tracker, so the relay's caller cache is told here, after the commit.
        generation.Bump(ConfigScope.Callers);

        var group = row.GroupId is { } gid ? await db.Groups.AsNoTracking().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == gid, ct) : null;
        return Api.Ok(new RedeemResultDto(row.Id, row.Code, row.Type, row.Value, Statuses.Used, userId, now, row.CreatedAt,
            row.GroupId, row.ValidityDays, group is null ? null : CodeGroupDto.From(group), applied.Message,
            applied.NewBalance, applied.NewConcurrency, applied.SubscriptionExpiresAt));
    }

    private sealed record Applied(string Message, decimal? NewBalance = null, int? NewConcurrency = null,
        DateTime? SubscriptionExpiresAt = null, IResult? Error = null);

    private async Task<Applied> ApplyAsync(RedeemCode row, long userId, DateTime now, CancellationToken ct)
    {
        var users = db.Users.Where(u => u.Id == userId);
        switch (row.Type)
        {
            case RedeemTypes.Balance:
            {
                var amount = row.Value;
                // The bound is part of the UPDATE, so the sum can never overflow the money column.
                if (await users.Where(u => u.Balance <= MoneyBounds.MaxAmount - amount)
                        .ExecuteUpdateAsync(s => s.SetProperty(u => u.Balance, u => u.Balance + amount), ct) == 0)
                {
                    return new("", Error: Api.BadRequest($"the new balance would exceed {MoneyBounds.MaxAmount}", "REDEEM_CODE_INVALID"));
                }
                var balance = await users.Select(u => u.Balance).FirstAsync(ct);
                // Without the storage scale's trailing zeros: "Added 10 …", not "Added 10.000000000000 …".
                return new($"Added {(amount / 1.000000000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture)} to your balance",
                    NewBalance: balance);
            }
            case RedeemTypes.Concurrency:
            {
                var slots = (int)Math.Min(row.Value, RedeemCodeRules.MaxConcurrencyValue);
                if (await users.Where(u => u.Concurrency <= int.MaxValue - slots)
                        .ExecuteUpdateAsync(s => s.SetProperty(u => u.Concurrency, u => u.Concurrency + slots), ct) == 0)
                {
                    return new("", Error: Api.BadRequest("the new concurrency would be too large", "REDEEM_CODE_INVALID"));
                }
                var concurrency = await users.Select(u => u.Concurrency).FirstAsync(ct);
                return new($"Added {slots} concurrency", NewConcurrency: concurrency);
            }
            default:
            {
                var (subscription, error) = await SubscriptionAssigner.AssignAsync(db, userId, row.GroupId!.Value,
                    row.ValidityDays > 0 ? row.ValidityDays : RedeemCodeRules.DefaultValidityDays, null,
                    $"redeemed with code {row.Code}", now, ct);
                if (error is not null)
                {
                    return new("", Error: Api.BadRequest($"invalid subscription redeem code: {error.Message}", "REDEEM_CODE_INVALID"));
                }
                await db.SaveChangesAsync(ct);
                return new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Subscription active until {subscription!.ExpiresAt:yyyy-MM-dd HH:mm} UTC"),
                    SubscriptionExpiresAt: subscription.ExpiresAt);
            }
        }
    }

    private static IResult Unusable(string status) => status == Statuses.Expired
        ? Api.Conflict("redeem code has expired", "REDEEM_CODE_USED")
        : Api.Conflict("redeem code already used", "REDEEM_CODE_USED");

    private async Task<IResult> FailAsync(long userId, DateTime now, IResult result, CancellationToken ct)
    {
        await FailureBudget.Redeem.RecordFailureAsync(db, userId, now, ct);
        return result;
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Settings;

namespace Sub2Api.Codes;

/// <summary>The promo and invitation codes a registration carries, checked before the user is created.</summary>
internal sealed record RegistrationCodePlan(PromoCode? Promo, RedeemCode? Invitation)
{
    public static readonly RegistrationCodePlan None = new(null, null);
}

/// <summary>
/// Promo and invitation codes at registration. <see cref="CheckAsync"/> runs before the user exists (a bad code is
/// a 400 and no user is created); <see cref="ApplyAsync"/> runs in the registration's transaction right after the
/// user row is saved, claiming both codes with conditional UPDATEs, so a code used up in between fails the whole
/// registration instead of being over-used.
/// </summary>
internal sealed class RegistrationCodes(SettingsStore settings, TimeProvider time)
{
    public const string PromoCodeEnabled = "promo_code_enabled";
    public const string InvitationCodeEnabled = "invitation_code_enabled";

    public async Task<(RegistrationCodePlan Plan, IResult? Error)> CheckAsync(Sub2ApiDbContext db, string? promoCode,
        string? invitationCode, CancellationToken ct)
    {
        RedeemCode? invitation = null;
        if (await settings.GetBoolAsync(InvitationCodeEnabled, ct))
        {
            var code = invitationCode?.Trim() ?? "";
            if (code.Length == 0)
            {
                return (RegistrationCodePlan.None, Api.BadRequest("invitation_code is required", "INVITATION_CODE_REQUIRED"));
            }
            invitation = code.Length > RedeemCodeFormat.MaxLength ? null
                : await db.RedeemCodes.AsNoTracking().FirstOrDefaultAsync(r => r.Code == code && r.Type == RedeemTypes.Invitation, ct);
            if (invitation is null || invitation.Status != Statuses.Unused)
            {
                return (RegistrationCodePlan.None, Api.BadRequest("invitation code is invalid or already used", "INVITATION_CODE_INVALID"));
            }
        }
        PromoCode? promo = null;
        // With promo codes switched off a sent code is ignored, as the original does.
        if (!string.IsNullOrWhiteSpace(promoCode) && await settings.GetBoolAsync(PromoCodeEnabled, ct))
        {
            var (found, reason, message) = await FindPromoAsync(db, promoCode, ct);
            if (found is null)
            {
                return (RegistrationCodePlan.None, Api.BadRequest(message!, reason!));
            }
            promo = found;
        }
        return (new RegistrationCodePlan(promo, invitation), null);
    }

    /// <summary>Claims the codes for the just-saved <paramref name="user"/>; on an error the caller rolls back.</summary>
    public async Task<IResult?> ApplyAsync(Sub2ApiDbContext db, User user, RegistrationCodePlan plan, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (plan.Invitation is { } invitation
            && await db.RedeemCodes.Where(r => r.Id == invitation.Id && r.Status == Statuses.Unused)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, Statuses.Used)
                    .SetProperty(r => r.UsedBy, user.Id)
                    .SetProperty(r => r.UsedAt, now), ct) == 0)
        {
            return Api.BadRequest("invitation code is invalid or already used", "INVITATION_CODE_INVALID");
        }
        if (plan.Promo is { } promo)
        {
            // max_uses, expiry and status are re-checked in the UPDATE itself: concurrent registrations cannot overshoot.
            var claimed = await db.PromoCodes
                .Where(p => p.Id == promo.Id && p.Status == Statuses.Active
                    && (p.MaxUses == 0 || p.UsedCount < p.MaxUses) && (p.ExpiresAt == null || p.ExpiresAt > now))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.UsedCount, p => p.UsedCount + 1), ct);
            if (claimed == 0)
            {
                var (_, reason, message) = await FindPromoAsync(db, promo.Code, ct);
                return Api.BadRequest(message ?? "promo code has reached maximum uses", reason ?? "PROMO_CODE_MAX_USED");
            }
            if (user.Balance > MoneyBounds.MaxAmount - promo.BonusAmount)
            {
                return Api.BadRequest($"the new balance would exceed {MoneyBounds.MaxAmount}", "PROMO_CODE_INVALID");
            }
            user.Balance += promo.BonusAmount;
            db.PromoCodeUsages.Add(new PromoCodeUsage { PromoCodeId = promo.Id, UserId = user.Id, BonusAmount = promo.BonusAmount, UsedAt = now });
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    /// <summary>The usable promo code, or the original's reason and message for why not.</summary>
    public async Task<(PromoCode? Promo, string? Reason, string? Message)> FindPromoAsync(Sub2ApiDbContext db, string rawCode,
        CancellationToken ct)
    {
        var code = PromoCodeRules.Normalize(rawCode);
        var promo = code.Length > RedeemCodeFormat.MaxLength ? null
            : await db.PromoCodes.AsNoTracking().FirstOrDefaultAsync(p => p.Code == code, ct);
        if (promo is null)
        {
            return (null, "PROMO_CODE_NOT_FOUND", "promo code not found");
        }
        return PromoCodeRules.Unusable(promo, time.GetUtcNow().UtcDateTime) is { } why ? (null, why.Reason, why.Message) : (promo, null, null);
    }
}

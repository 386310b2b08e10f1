using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Settings;

namespace Sub2Api.Codes;

/// <summary>
/// The register page's code checks. An unusable code is still a 200 with <c>valid=false</c> and the reason, as the
/// original answers; they share the per-IP login/register limit so they cannot be used to enumerate codes.
/// </summary>
internal static class RegistrationCodesApi
{
    public static void MapRegistrationCodesApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth");
        auth.MapPost("/validate-promo-code", ValidatePromoAsync).RequireRateLimiting(AuthRateLimits.Login);
        auth.MapPost("/validate-invitation-code", ValidateInvitationAsync).RequireRateLimiting(AuthRateLimits.Login);
    }

    private static async Task<IResult> ValidatePromoAsync(CodeRequest req, Sub2ApiDbContext db, SettingsStore settings,
        RegistrationCodes codes, CancellationToken ct)
    {
        if (!await settings.GetBoolAsync(RegistrationCodes.PromoCodeEnabled, ct))
        {
            return Api.Ok(new ValidatePromoCodeResponse(false, ErrorCode: "PROMO_CODE_DISABLED", Message: "promo codes are disabled"));
        }
        if (string.IsNullOrWhiteSpace(req.Code))
        {
            return Api.BadRequest("code is required");
        }
        var (promo, reason, message) = await codes.FindPromoAsync(db, req.Code, ct);
        return Api.Ok(promo is null
            ? new ValidatePromoCodeResponse(false, ErrorCode: reason, Message: message)
            : new ValidatePromoCodeResponse(true, promo.BonusAmount));
    }

    private static async Task<IResult> ValidateInvitationAsync(CodeRequest req, Sub2ApiDbContext db, SettingsStore settings,
        CancellationToken ct)
    {
        if (!await settings.GetBoolAsync(RegistrationCodes.InvitationCodeEnabled, ct))
        {
            return Api.Ok(new ValidateInvitationCodeResponse(false, "INVITATION_CODE_DISABLED"));
        }
        var code = req.Code?.Trim() ?? "";
        if (code.Length == 0)
        {
            return Api.BadRequest("code is required");
        }
        var row = code.Length > RedeemCodeFormat.MaxLength ? null
            : await db.RedeemCodes.AsNoTracking().FirstOrDefaultAsync(r => r.Code == code, ct);
        return Api.Ok(row switch
        {
            null => new ValidateInvitationCodeResponse(false, "INVITATION_CODE_NOT_FOUND"),
            { Type: not RedeemTypes.Invitation } => new ValidateInvitationCodeResponse(false, "INVITATION_CODE_INVALID"),
            { Status: not Statuses.Unused } => new ValidateInvitationCodeResponse(false, "INVITATION_CODE_USED"),
            _ => new ValidateInvitationCodeResponse(true),
        });
    }
}

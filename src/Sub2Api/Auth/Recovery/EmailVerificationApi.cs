using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Settings;

namespace Sub2Api.Auth.Recovery;

internal sealed record SendVerifyCodeRequest(string? Email);

/// <summary>
/// <c>POST /auth/send-verify-code</c>: mails the six-digit code registration asks for when <c>email_verify_enabled</c>
/// is on. Like the original it says when the address is already registered (registration would say so anyway).
/// </summary>
internal static class EmailVerificationApi
{
    public const string EmailVerifyEnabled = "email_verify_enabled";

    public static void MapEmailVerification(this RouteGroupBuilder auth)
    {
        auth.MapPost("/send-verify-code", async (SendVerifyCodeRequest req, Sub2ApiDbContext db, SettingsStore settings,
            EmailCodes codes, CancellationToken ct) =>
        {
            if (!await settings.GetBoolAsync(SettingDefinitions.RegistrationEnabled, ct))
            {
                return Api.Forbidden("registration is disabled", "REGISTRATION_DISABLED");
            }
            if (Validate.Email(req.Email) is { } emailError)
            {
                return Api.BadRequest(emailError);
            }
            var email = req.Email!.Trim().ToLowerInvariant();
            if (await db.Users.AnyAsync(u => u.Email == email, ct))
            {
                return Api.Conflict("email already registered", "EMAIL_EXISTS");
            }
            return await codes.SendAsync(AuthChallengePurposes.EmailVerify, email, null, ct)
                ?? Api.Ok(new { message = "Verification code sent successfully", countdown = (int)EmailCodes.Cooldown.TotalSeconds });
        }).RequireRateLimiting(SecurityRateLimits.SendCode);
    }

    /// <summary>
    /// The registration check: with email verification on, <c>verify_code</c> must be the live code mailed to this
    /// address, and is used up by the check. Null when registration may go on.
    /// </summary>
    public static async Task<IResult?> CheckRegistrationCodeAsync(HttpContext context, string email, string? verifyCode,
        CancellationToken cancellationToken)
    {
        var settings = context.RequestServices.GetRequiredService<SettingsStore>();
        if (!await settings.GetBoolAsync(EmailVerifyEnabled, cancellationToken))
        {
            return null;
        }
        return await context.RequestServices.GetRequiredService<EmailCodes>()
            .VerifyAsync(AuthChallengePurposes.EmailVerify, email, verifyCode, cancellationToken);
    }
}

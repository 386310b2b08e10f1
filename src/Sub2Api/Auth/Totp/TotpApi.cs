using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth.Challenges;
using Sub2Api.Auth.Recovery;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Auth.Totp;

internal sealed record TotpVerifyRequest(string? EmailCode, string? Password);
internal sealed record TotpEnableRequest(string? TotpCode, string? SetupToken);

/// <summary>
/// <c>/user/totp/*</c>: a user's authenticator-app second factor. Setup proves the user (an emailed code when email
/// verification is on, else the password), hands out a new secret once, and enable turns it on after a code from
/// the app. The secret is stored encrypted and never shown again.
/// </summary>
internal static class TotpApi
{
    public const string TotpEnabledSetting = "totp_enabled";
    private static readonly TimeSpan SetupTtl = TimeSpan.FromMinutes(5);

    public static void MapTotpApi(this RouteGroupBuilder user)
    {
        var totp = user.MapGroup("/user/totp");
        totp.MapGet("/status", StatusAsync);
        totp.MapGet("/verification-method", async (SettingsStore settings, CancellationToken ct) =>
            Api.Ok(new { method = await UsesEmailAsync(settings, ct) ? "email" : "password" }));
        totp.MapPost("/send-code", SendCodeAsync).RequireRateLimiting(SecurityRateLimits.SendCode);
        totp.MapPost("/setup", SetupAsync).RequireRateLimiting(SecurityRateLimits.SecondFactor);
        totp.MapPost("/enable", EnableAsync).RequireRateLimiting(SecurityRateLimits.SecondFactor);
        totp.MapPost("/disable", DisableAsync).RequireRateLimiting(SecurityRateLimits.SecondFactor);
    }

    private static Task<bool> UsesEmailAsync(SettingsStore settings, CancellationToken ct) =>
        settings.GetBoolAsync(EmailVerificationApi.EmailVerifyEnabled, ct);

    private static IResult FeatureOff() => Api.BadRequest("totp feature is not enabled", "TOTP_NOT_ENABLED");

    private static async Task<IResult> StatusAsync(CurrentUser me, Sub2ApiDbContext db, SettingsStore settings, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == me.Id, ct);
        var enabledAt = user.TotpEnabled && user.TotpEnabledAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeSeconds() : (long?)null;
        return Api.Ok(new TotpStatusDto(user.TotpEnabled, enabledAt, await settings.GetBoolAsync(TotpEnabledSetting, ct)));
    }

    private static async Task<IResult> SendCodeAsync(CurrentUser me, Sub2ApiDbContext db, SettingsStore settings, EmailCodes codes, CancellationToken ct)
    {
        if (!await UsesEmailAsync(settings, ct))
        {
            return Api.BadRequest("email verification is not enabled", "EMAIL_VERIFY_NOT_ENABLED");
        }
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == me.Id, ct);
        return await codes.SendAsync(AuthChallengePurposes.TotpSetup, user.Email, user.Id, ct) ?? Api.Ok(new { success = true });
    }

    /// <summary>The identity check setup and disable share; null when the user proved who they are.</summary>
    private static async Task<IResult?> ProveUserAsync(User user, TotpVerifyRequest? req, SettingsStore settings, EmailCodes codes, CancellationToken ct)
    {
        if (await UsesEmailAsync(settings, ct))
        {
            return string.IsNullOrWhiteSpace(req?.EmailCode)
                ? Api.BadRequest("email verification code is required", "VERIFY_CODE_REQUIRED")
                : await codes.VerifyAsync(AuthChallengePurposes.TotpSetup, user.Email, req.EmailCode, ct);
        }
        if (string.IsNullOrEmpty(req?.Password))
        {
            return Api.BadRequest("password is required", "PASSWORD_REQUIRED");
        }
        return PasswordHasher.Verify(req.Password, user.PasswordHash) ? null : Api.BadRequest("password is incorrect", "PASSWORD_INCORRECT");
    }

    private static async Task<IResult> SetupAsync(TotpVerifyRequest? req, CurrentUser me, Sub2ApiDbContext db, SettingsStore settings,
        EmailCodes codes, AuthChallenges challenges, TotpGuard guard, CancellationToken ct)
    {
        if (!await settings.GetBoolAsync(TotpEnabledSetting, ct))
        {
            return FeatureOff();
        }
        var user = await db.Users.FirstAsync(u => u.Id == me.Id, ct);
        if (user.TotpEnabled)
        {
            return Api.BadRequest("totp is already enabled for this account", "TOTP_ALREADY_ENABLED");
        }
        if (await ProveUserAsync(user, req, settings, codes, ct) is { } refused)
        {
            return refused;
        }
        // The pending secret waits, encrypted, in the user row (TOTP still off) until enable confirms a code from it.
        var secret = TotpCode.NewSecret();
        user.TotpSecretEncrypted = guard.Protect(secret);
        await db.SaveChangesAsync(ct);
        var setupToken = AuthChallenges.NewToken();
        await challenges.IssueAsync(AuthChallengePurposes.TotpEnroll, user.Email, user.Id, setupToken, SetupTtl, ct);
        var issuer = (await settings.GetAsync(SettingDefinitions.SiteName, ct)).Trim() is { Length: > 0 } site ? site : "Sub2API";
        return Api.Ok(new TotpSetupDto(secret, TotpCode.OtpAuthUrl(issuer, user.Email, secret), setupToken, (int)SetupTtl.TotalSeconds));
    }

    private static async Task<IResult> EnableAsync(TotpEnableRequest req, CurrentUser me, Sub2ApiDbContext db, SettingsStore settings,
        AuthChallenges challenges, TotpGuard guard, CancellationToken ct)
    {
        if (!await settings.GetBoolAsync(TotpEnabledSetting, ct))
        {
            return FeatureOff();
        }
        var error = Validate.First(
            req.TotpCode is { Length: TotpCode.Digits } code && code.All(char.IsAsciiDigit) ? null : "totp_code must be 6 digits",
            string.IsNullOrWhiteSpace(req.SetupToken) ? "setup_token is required" : null);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var user = await db.Users.FirstAsync(u => u.Id == me.Id, ct);
        if (user.TotpEnabled)
        {
            return Api.BadRequest("totp is already enabled for this account", "TOTP_ALREADY_ENABLED");
        }
        var setup = await challenges.FindLiveAsync(AuthChallengePurposes.TotpEnroll, req.SetupToken!.Trim(), ct);
        if (setup is null || setup.UserId != user.Id || setup.Attempts >= AuthChallenges.MaxAttempts || user.TotpSecretEncrypted is null)
        {
            return Api.BadRequest("totp setup session expired; start the setup again", "TOTP_SETUP_EXPIRED");
        }
        if (!await guard.AcceptAsync(user, user.TotpSecretEncrypted, req.TotpCode, ct))
        {
            return await challenges.FailAsync(setup, ct)
                ? Api.Error(429, "TOTP_TOO_MANY_ATTEMPTS", "too many wrong codes; start the setup again")
                : InvalidCode();
        }
        if (!await challenges.ConsumeAsync(setup.Id, ct))
        {
            return Api.BadRequest("totp setup session expired; start the setup again", "TOTP_SETUP_EXPIRED");
        }
        user.TotpEnabled = true;
        user.TotpEnabledAt = challenges.Now;
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { success = true, enabled_at = new DateTimeOffset(user.TotpEnabledAt.Value, TimeSpan.Zero).ToUnixTimeSeconds() });
    }

    private static async Task<IResult> DisableAsync(TotpVerifyRequest? req, CurrentUser me, Sub2ApiDbContext db, SettingsStore settings,
        EmailCodes codes, TotpGuard guard, CancellationToken ct)
    {
        var user = await db.Users.FirstAsync(u => u.Id == me.Id, ct);
        if (!user.TotpEnabled)
        {
            return Api.BadRequest("totp is not set up for this account", "TOTP_NOT_SETUP");
        }
        if (await ProveUserAsync(user, req, settings, codes, ct) is { } refused)
        {
            return refused;
        }
        user.TotpEnabled = false;
        user.TotpEnabledAt = null;
        user.TotpSecretEncrypted = null;
        await db.SaveChangesAsync(ct);
        await guard.ForgetAsync(user.Id, ct);
        return Api.Ok(new { success = true });
    }

    public static IResult InvalidCode() => Api.BadRequest("invalid totp code", "TOTP_INVALID_CODE");
}

/// <summary><c>enabled_at</c> is a Unix timestamp, left out while TOTP is off (the original's shape).</summary>
internal sealed record TotpStatusDto(
    bool Enabled,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? EnabledAt,
    bool FeatureEnabled);

internal sealed record TotpSetupDto(string Secret, string QrCodeUrl,
    string SetupToken, int Countdown);

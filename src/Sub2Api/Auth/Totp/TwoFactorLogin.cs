using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth.Challenges;
using Sub2Api.Auth.Recovery;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Settings;

namespace Sub2Api.Auth.Totp;

internal sealed record Login2FaRequest(string? TempToken, string? TotpCode);

/// <summary>What <c>/auth/login</c> answers instead of tokens when the user has TOTP on.</summary>
internal sealed record TwoFactorRequired(
    [property: System.Text.Json.Serialization.JsonPropertyName("requires_2fa")] bool Requires2Fa, string TempToken, string UserEmailMasked);

/// <summary>
/// The second login step: a correct password for a user with TOTP on yields a temp token (5 minutes, single use,
/// dead after five wrong codes), and <c>POST /auth/login/2fa</c> trades it plus a current code for the token pair.
/// </summary>
internal static class TwoFactorLogin
{
    private static readonly TimeSpan TempTokenTtl = TimeSpan.FromMinutes(5);

    /// <summary>The 2FA answer for <c>/auth/login</c>, or null when this user logs in with the password alone.</summary>
    public static async Task<TwoFactorRequired?> ChallengeAsync(HttpContext context, User user, CancellationToken cancellationToken)
    {
        if (!user.TotpEnabled || user.TotpSecretEncrypted is null
            || !await context.RequestServices.GetRequiredService<SettingsStore>().GetBoolAsync(TotpApi.TotpEnabledSetting, cancellationToken))
        {
            return null;
        }
        var tempToken = AuthChallenges.NewToken();
        await context.RequestServices.GetRequiredService<AuthChallenges>()
            .IssueAsync(AuthChallengePurposes.Login2Fa, user.Email, user.Id, tempToken, TempTokenTtl, cancellationToken);
        return new TwoFactorRequired(true, tempToken, MaskEmail(user.Email));
    }

    public static void MapTwoFactorLogin(this RouteGroupBuilder auth)
    {
        auth.MapPost("/login/2fa", async (Login2FaRequest req, Sub2ApiDbContext db, AuthChallenges challenges, TotpGuard guard,
            AuthSessions sessions, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(req.TempToken))
            {
                return Api.BadRequest("temp_token is required");
            }
            if (req.TotpCode is not { Length: TotpCode.Digits } || !req.TotpCode.All(char.IsAsciiDigit))
            {
                return Api.BadRequest("totp_code must be 6 digits");
            }
            var session = await challenges.FindLiveAsync(AuthChallengePurposes.Login2Fa, req.TempToken.Trim(), ct);
            if (session is null || session.Attempts >= AuthChallenges.MaxAttempts)
            {
                return Api.BadRequest("invalid or expired 2FA session; log in again", "INVALID_2FA_SESSION");
            }
            var user = await db.Users.Include(u => u.AllowedGroups).FirstOrDefaultAsync(u => u.Id == session.UserId, ct);
            if (user is null || !user.TotpEnabled || user.TotpSecretEncrypted is null)
            {
                return Api.BadRequest("invalid or expired 2FA session; log in again", "INVALID_2FA_SESSION");
            }
            if (!await guard.AcceptAsync(user, user.TotpSecretEncrypted, req.TotpCode, ct))
            {
                return await challenges.FailAsync(session, ct)
                    ? Api.Error(429, "TOTP_TOO_MANY_ATTEMPTS", "too many wrong codes; log in again")
                    : TotpApi.InvalidCode();
            }
            if (!await challenges.ConsumeAsync(session.Id, ct))
            {
                return Api.BadRequest("invalid or expired 2FA session; log in again", "INVALID_2FA_SESSION");
            }
            if (user.Status != Statuses.Active)
            {
                return Api.Forbidden("user is disabled", "USER_DISABLED");
            }
            return Api.Ok(await sessions.IssueAsync(user, null, ct));
        }).RequireRateLimiting(SecurityRateLimits.SecondFactor);
    }

    /// <summary>"a***e@example.com": enough for the user to recognise the account, not to learn it.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at < 1)
        {
            return email.Length == 0 ? "***" : email[..1] + "***";
        }
        var local = email[..at];
        return local.Length <= 2 ? local[..1] + "***" + email[at..] : local[..1] + "***" + local[^1] + email[at..];
    }
}

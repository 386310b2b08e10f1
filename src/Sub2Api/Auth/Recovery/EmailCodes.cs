using System.Globalization;
using System.Security.Cryptography;
using Sub2Api.Auth.Challenges;
using Sub2Api.Common;

namespace Sub2Api.Auth.Recovery;

/// <summary>
/// Six-digit codes mailed to prove an address (registration, TOTP changes): valid 15 minutes, one new code per
/// address per minute, five wrong guesses kill a code. Handlers get back null or the error to answer with.
/// </summary>
internal sealed class EmailCodes(AuthChallenges challenges, SecurityMail mail)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(1);

    public async Task<IResult?> SendAsync(string purpose, string email, long? userId, CancellationToken cancellationToken)
    {
        var smtp = await mail.ServerAsync(cancellationToken);
        if (smtp is null)
        {
            return SecurityMail.NotConfigured();
        }
        if (await CooldownLeftAsync(purpose, email, cancellationToken) is { } wait)
        {
            return TooFrequent(wait);
        }
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var challenge = await challenges.IssueAsync(purpose, email, userId, code, Ttl, cancellationToken);
        if (!await mail.SendCodeAsync(smtp, email, code, cancellationToken))
        {
            // Nothing reached the user: no cooldown for a code they never got.
            await challenges.DeleteAsync(challenge.Id, CancellationToken.None);
            return SecurityMail.SendFailed();
        }
        return null;
    }

    public async Task<IResult?> VerifyAsync(string purpose, string email, string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return Api.BadRequest("verify_code is required", "EMAIL_VERIFY_REQUIRED");
        }
        return await challenges.VerifyLatestAsync(purpose, email, code.Trim(), cancellationToken) switch
        {
            ChallengeCheck.Accepted => null,
            ChallengeCheck.TooManyAttempts => Api.Error(429, "VERIFY_CODE_MAX_ATTEMPTS", "too many failed attempts, please request a new code"),
            _ => Api.BadRequest("invalid or expired verification code", "INVALID_VERIFY_CODE"),
        };
    }

    private async Task<int?> CooldownLeftAsync(string purpose, string email, CancellationToken cancellationToken)
    {
        var last = await challenges.LastIssuedAtAsync(purpose, email, cancellationToken);
        var left = last is { } issued ? issued + Cooldown - challenges.Now : TimeSpan.Zero;
        return left > TimeSpan.Zero ? (int)Math.Ceiling(left.TotalSeconds) : null;
    }

    private static IResult TooFrequent(int seconds) => Api.Error(429, "VERIFY_CODE_TOO_FREQUENT",
        $"please wait {seconds} seconds before requesting a new code",
        new Dictionary<string, string> { ["retry_after"] = seconds.ToString(CultureInfo.InvariantCulture) });
}

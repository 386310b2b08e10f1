namespace Sub2Api.Data.Entities;

/// <summary>
/// A short-lived secret sent to or issued for a user: an email verification code, a password-reset token, a
/// login 2FA temp token, or a TOTP-setup email code. Kept in the database (not one node's memory) so any node
/// can check it; only a SHA-256 of the secret is stored.
/// </summary>
internal sealed class AuthChallenge
{
    public long Id { get; set; }
    /// <summary>See <see cref="AuthChallengePurposes"/>.</summary>
    public required string Purpose { get; set; }
    /// <summary>Lower-cased email the challenge belongs to.</summary>
    public required string Email { get; set; }
    public long? UserId { get; set; }
    public required string SecretHash { get; set; }
    /// <summary>Wrong guesses so far; the challenge dies after a few.</summary>
    public int Attempts { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? ConsumedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal static class AuthChallengePurposes
{
    public const string EmailVerify = "email_verify";
    public const string PasswordReset = "password_reset";
    public const string Login2Fa = "login_2fa";
    public const string TotpSetup = "totp_setup";
    /// <summary>The setup token tying <c>/user/totp/enable</c> to the secret <c>/user/totp/setup</c> handed out.</summary>
    public const string TotpEnroll = "totp_enroll";
    /// <summary>One row per TOTP user: <see cref="AuthChallenge.CreatedAt"/> is the start of the last accepted step.</summary>
    public const string TotpLastStep = "totp_last_step";
    /// <summary>A failed custom API key attempt (too short, bad characters, taken), counted per user per hour.</summary>
    public const string CustomKeyFailure = "custom_key_failure";
    public const string RedeemFailure = "redeem_failure";
}

internal static class AnnouncementStatuses
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Archived = "archived";
    public static readonly string[] All = [Draft, Active, Archived];
}

using System.Text.RegularExpressions;
using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.Codes;

/// <summary>
/// Body of <c>POST /admin/promo-codes</c> and <c>PUT /admin/promo-codes/{id}</c>. <c>expires_at</c> is a Unix time in
/// seconds, as the original takes it; 0 means "never expires" (on update it clears the expiry). On update a
/// missing or null field keeps its value.
/// </summary>
internal sealed record PromoCodeRequest(string? Code, decimal? BonusAmount, int? MaxUses, long? ExpiresAt, string? Notes,
    string? Status);

internal sealed record PromoCodeDto(long Id, string Code, decimal BonusAmount, int MaxUses, int UsedCount, string Status,
    DateTime? ExpiresAt, string Notes, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static PromoCodeDto From(PromoCode p) =>
        new(p.Id, p.Code, p.BonusAmount, p.MaxUses, p.UsedCount, p.Status, p.ExpiresAt, p.Notes, p.CreatedAt, p.UpdatedAt);
}

internal sealed record PromoCodeUsageDto(long Id, long PromoCodeId, long UserId, decimal BonusAmount, DateTime UsedAt,
    CodeUserDto? User);

/// <summary><c>POST /auth/validate-promo-code</c>: the original's answer (an invalid code is still a 200).</summary>
internal sealed record ValidatePromoCodeResponse(bool Valid, decimal? BonusAmount = null, string? ErrorCode = null,
    string? Message = null);

/// <summary><c>POST /auth/validate-invitation-code</c>.</summary>
internal sealed record ValidateInvitationCodeResponse(bool Valid, string? ErrorCode = null);

internal static partial class PromoCodeRules
{
    public static readonly string[] PromoStatuses = [Statuses.Active, Statuses.Disabled];
    public const int MaxNotesLength = 1000;

    /// <summary>The last second a <see cref="DateTime"/> can hold (9999-12-31T23:59:59Z).</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    [GeneratedRegex("^[A-Z0-9_-]{1,64}$")]
    private static partial Regex CodePattern();

    /// <summary>Codes are compared upper-cased and trimmed, as the original stores them.</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    public static string? Check(PromoCodeRequest r, bool creating) => Validate.First(
        r.Code is { } code && code.Trim().Length > 0 && !CodePattern().IsMatch(Normalize(code))
            ? "code must be 1 to 64 letters, digits, '-' or '_'"
            : !creating && r.Code is { } c && c.Trim().Length == 0 ? "code must not be empty" : null,
        creating && r.BonusAmount is null ? "bonus_amount is required" : MoneyBounds.PositiveAmount(r.BonusAmount, "bonus_amount"),
        r.MaxUses is < 0 ? "max_uses must not be negative (0 = unlimited)" : null,
        r.ExpiresAt is < 0 or > MaxUnixSeconds ? "expires_at must be a Unix time in seconds (0 = never)" : null,
        r.Notes?.Length > MaxNotesLength ? $"notes must be at most {MaxNotesLength} characters" : null,
        Validate.OneOf(r.Status, "status", PromoStatuses, required: false));

    public static DateTime? ExpiryFrom(long seconds) =>
        seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;

    /// <summary>Why the code cannot be used now (the original's reason and message), or null when it can.</summary>
    public static (string Reason, string Message)? Unusable(PromoCode p, DateTime now) =>
        p.ExpiresAt is { } expires && expires <= now ? ("PROMO_CODE_EXPIRED", "promo code has expired")
        : p.Status != Statuses.Active ? ("PROMO_CODE_DISABLED", "promo code is disabled")
        : p.MaxUses > 0 && p.UsedCount >= p.MaxUses ? ("PROMO_CODE_MAX_USED", "promo code has reached maximum uses")
        : null;
}

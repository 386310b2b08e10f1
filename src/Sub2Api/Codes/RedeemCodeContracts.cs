using Sub2Api.Data.Entities;

namespace Sub2Api.Codes;

/// <summary>Body of <c>POST /admin/redeem-codes/generate</c>.</summary>
internal sealed record GenerateRedeemCodesRequest(int? Count, string? Type, decimal? Value, long? GroupId, int? ValidityDays,
    string? Notes);

/// <summary>Body of <c>POST /admin/redeem-codes/batch-delete</c>.</summary>
internal sealed record BatchDeleteRequest(IReadOnlyList<long>? Ids);

/// <summary>Body of <c>POST /redeem</c> and of the public code checks.</summary>
internal sealed record CodeRequest(string? Code);

/// <summary>The user who used a code, as a shallow summary.</summary>
internal sealed record CodeUserDto(long Id, string Email, string Username);

/// <summary>The group a subscription code grants, as a shallow summary.</summary>
internal sealed record CodeGroupDto(long Id, string Name, string Platform, string SubscriptionType, decimal RateMultiplier,
    decimal? DailyLimitUsd, decimal? WeeklyLimitUsd, decimal? MonthlyLimitUsd, string Status)
{
    public static CodeGroupDto From(Group g) => new(g.Id, g.Name, g.Platform, g.SubscriptionType, g.RateMultiplier,
        g.DailyLimitUsd, g.WeeklyLimitUsd, g.MonthlyLimitUsd, g.Status);
}

/// <summary>A redeem code as the admin sees it (with notes).</summary>
internal sealed record AdminRedeemCodeDto(long Id, string Code, string Type, decimal Value, string Status, long? UsedBy,
    DateTime? UsedAt, string Notes, DateTime CreatedAt, long? GroupId, int ValidityDays, CodeUserDto? User, CodeGroupDto? Group);

/// <summary>A redeem code as its user sees it: no admin notes.</summary>
internal sealed record UserRedeemCodeDto(long Id, string Code, string Type, decimal Value, string Status, long? UsedBy,
    DateTime? UsedAt, DateTime CreatedAt, long? GroupId, int ValidityDays, CodeGroupDto? Group);

/// <summary>
/// The answer to a successful <c>POST /redeem</c>: the used code, plus what it changed (only the field its type
/// touches is present).
/// </summary>
internal sealed record RedeemResultDto(long Id, string Code, string Type, decimal Value, string Status, long? UsedBy,
    DateTime? UsedAt, DateTime CreatedAt, long? GroupId, int ValidityDays, CodeGroupDto? Group, string Message,
    decimal? NewBalance, int? NewConcurrency, DateTime? SubscriptionExpiresAt);

/// <summary><c>GET /admin/redeem-codes/stats</c>: the original's keys, computed over real codes.</summary>
internal sealed record RedeemCodeStatsDto(long TotalCodes, long ActiveCodes, long UsedCodes, long ExpiredCodes,
    decimal TotalValueDistributed, IReadOnlyDictionary<string, long> ByType);

internal static class RedeemCodeRules
{
    /// <summary>The types an admin creates; admin_balance/admin_concurrency rows are the balance history, not codes.</summary>
    public static readonly string[] CodeTypes =
        [RedeemTypes.Balance, RedeemTypes.Concurrency, RedeemTypes.Subscription, RedeemTypes.Invitation];

    public static readonly string[] CodeStatuses = [Statuses.Unused, Statuses.Used, Statuses.Expired];

    public const int MaxCount = 100;
    public const int DefaultValidityDays = 30;
    public const int MaxNotesLength = 2000;

    /// <summary>Concurrency is a whole number of slots: a code above this would overflow the user's int column.</summary>
    public const int MaxConcurrencyValue = 1_000_000;

    /// <summary>Only real codes: the admin's balance and concurrency adjustments share the table but are not codes.</summary>
    public static IQueryable<RedeemCode> OnlyCodes(this IQueryable<RedeemCode> rows) =>
        rows.Where(r => r.Type == RedeemTypes.Balance || r.Type == RedeemTypes.Concurrency
            || r.Type == RedeemTypes.Subscription || r.Type == RedeemTypes.Invitation);
}

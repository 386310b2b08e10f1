using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Users;

internal sealed record CreateUserRequest(
    string? Email, string? Password, string? Username, string? Notes, decimal? Balance, int? Concurrency,
    string? Role, List<long>? AllowedGroups);

internal sealed record UpdateUserRequest(
    string? Email, string? Password, string? Username, string? Notes, int? Concurrency, string? Status,
    string? Role, List<long>? AllowedGroups, Dictionary<string, decimal?>? GroupRates);

/// <summary><c>POST /admin/users/:id/balance</c>: <c>{balance&gt;0, operation: set|add|subtract, notes}</c>.</summary>
internal sealed record BalanceRequest(decimal? Balance, string? Operation, string? Notes);

internal static class BalanceOperations
{
    public const string Set = "set";
    public const string Add = "add";
    public const string Subtract = "subtract";
    public static readonly string[] All = [Set, Add, Subtract];
}

/// <summary>A user as admins see it: the public DTO plus per-group rates.</summary>
internal sealed record AdminUserDto(
    long Id, string Email, string Username, string Notes, string Role, decimal Balance, int Concurrency,
    string Status, bool TotpEnabled, IReadOnlyList<long> AllowedGroups, IReadOnlyDictionary<string, decimal> GroupRates,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminUserDto From(User u) => new(u.Id, u.Email, u.Username, u.Notes, u.Role, u.Balance, u.Concurrency,
        u.Status, u.TotpEnabled, u.AllowedGroups.Select(g => g.GroupId).Order().ToList(),
        u.GroupRates.ToDictionary(r => r.GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), r => r.Rate),
        u.CreatedAt, u.UpdatedAt);

    /// <summary>Concurrency slots the user holds right now (filled from the live slots for lists and reads).</summary>
    public int CurrentConcurrency { get; init; }
}

/// <summary>One balance/concurrency adjustment (stored as a redeem_codes row, as the original does).</summary>
internal sealed record BalanceHistoryDto(long Id, string Code, string Type, decimal Value, string Status, long? UsedBy,
    DateTime? UsedAt, string Notes, DateTime CreatedAt)
{
    public static BalanceHistoryDto From(RedeemCode r) =>
        new(r.Id, r.Code, r.Type, r.Value, r.Status, r.UsedBy, r.UsedAt, r.Notes, r.CreatedAt);
}

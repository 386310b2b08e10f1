using Sub2Api.Data.Entities;

namespace Sub2Api.Auth;

/// <summary>A user as the management API shows it (never the password hash or TOTP secret).</summary>
internal sealed record UserDto(
    long Id, string Email, string Username, string Notes, string Role, decimal Balance, int Concurrency,
    string Status, bool TotpEnabled, IReadOnlyList<long> AllowedGroups, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UserDto From(User u) => new(u.Id, u.Email, u.Username, u.Notes, u.Role, u.Balance, u.Concurrency,
        u.Status, u.TotpEnabled, u.AllowedGroups.Select(g => g.GroupId).Order().ToList(), u.CreatedAt, u.UpdatedAt);
}

using Sub2Api.Data.Entities;

namespace Sub2Api.Auth;

/// <summary>
/// A user as they see themselves (login, /auth/me, /user/profile): never the password hash, the TOTP secret, or the
/// admin's <c>notes</c> about them.
/// </summary>
internal sealed record UserDto(
    long Id, string Email, string Username, string Role, decimal Balance, int Concurrency,
    string Status, bool TotpEnabled, IReadOnlyList<long> AllowedGroups, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UserDto From(User u) => new(u.Id, u.Email, u.Username, u.Role, u.Balance, u.Concurrency,
        u.Status, u.TotpEnabled, u.AllowedGroups.Select(g => g.GroupId).Order().ToList(), u.CreatedAt, u.UpdatedAt);
}

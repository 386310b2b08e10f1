namespace Sub2Api.Data.Entities;

internal sealed class User : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    public string Role { get; set; } = Roles.User;
    public decimal Balance { get; set; }
    public int Concurrency { get; set; } = 5;
    public string Status { get; set; } = Statuses.Active;
    public string Username { get; set; } = "";
    public string Notes { get; set; } = "";
    /// <summary>Bumped on password change or "log out everywhere"; JWTs carrying an older value are refused.</summary>
    public long TokenVersion { get; set; }
    public string? TotpSecretEncrypted { get; set; }
    public bool TotpEnabled { get; set; }
    public DateTime? TotpEnabledAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public List<UserAllowedGroup> AllowedGroups { get; set; } = [];
    public List<UserGroupRateMultiplier> GroupRates { get; set; } = [];
}

/// <summary>Access to an exclusive group.</summary>
internal sealed class UserAllowedGroup
{
    public long UserId { get; set; }
    public long GroupId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A per-user rate for one group; beats the group's own multiplier.</summary>
internal sealed class UserGroupRateMultiplier
{
    public long UserId { get; set; }
    public long GroupId { get; set; }
    public decimal Rate { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

namespace Sub2Api.Data.Entities;

/// <summary>
/// A user's gateway key. Only a keyed hash (HMAC-SHA256 with a server secret) and a display prefix are
/// stored, so a copy of the database alone yields no usable key.
/// </summary>
internal sealed class ApiKey : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string KeyHash { get; set; }
    /// <summary>What lists show, e.g. <c>sk-1a2b…9f</c>.</summary>
    public required string KeyHint { get; set; }
    public required string Name { get; set; }
    public long? GroupId { get; set; }
    public string Status { get; set; } = Statuses.Active;
    public List<string> IpWhitelist { get; set; } = [];
    public List<string> IpBlacklist { get; set; } = [];
    /// <summary>USD; 0 = unlimited.</summary>
    public decimal Quota { get; set; }
    public decimal QuotaUsed { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public User? User { get; set; }
    public Group? Group { get; set; }
}

namespace Sub2Api.Data.Entities;

/// <summary>An upstream account. Credentials are stored encrypted (AES-256-GCM) as one JSON blob.</summary>
internal sealed class Account : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string Notes { get; set; } = "";
    public required string Platform { get; set; }
    public required string Type { get; set; }
    /// <summary>Encrypted JSON object; see <c>Security.SecretProtector</c>.</summary>
    public string CredentialsEncrypted { get; set; } = "";
    /// <summary>Plain JSON object (no secrets: account_uuid, max_sessions, …).</summary>
    public string Extra { get; set; } = "{}";
    public long? ProxyId { get; set; }
    public int Concurrency { get; set; } = 3;
    /// <summary>Lower is preferred.</summary>
    public int Priority { get; set; } = 50;
    public decimal RateMultiplier { get; set; } = 1m;
    public string Status { get; set; } = Statuses.Active;
    public string ErrorMessage { get; set; } = "";
    public DateTime? LastUsedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public bool AutoPauseOnExpired { get; set; } = true;
    public bool Schedulable { get; set; } = true;
    public DateTime? RateLimitedAt { get; set; }
    public DateTime? RateLimitResetAt { get; set; }
    public DateTime? OverloadUntil { get; set; }
    public DateTime? TempUnschedulableUntil { get; set; }
    public string? TempUnschedulableReason { get; set; }
    public DateTime? SessionWindowStart { get; set; }
    public DateTime? SessionWindowEnd { get; set; }
    public string? SessionWindowStatus { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public List<AccountGroup> Groups { get; set; } = [];
}

internal sealed class AccountGroup
{
    public long AccountId { get; set; }
    public long GroupId { get; set; }
    public int Priority { get; set; } = 50;
    public DateTime CreatedAt { get; set; }
}

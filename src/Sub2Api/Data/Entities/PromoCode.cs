namespace Sub2Api.Data.Entities;

/// <summary>A registration bonus code: adds <see cref="BonusAmount"/> to a new user's balance.</summary>
internal sealed class PromoCode : ITimestamped
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public decimal BonusAmount { get; set; }
    /// <summary>0 = unlimited.</summary>
    public int MaxUses { get; set; }
    public int UsedCount { get; set; }
    /// <summary><c>active</c> or <c>disabled</c>.</summary>
    public string Status { get; set; } = Statuses.Active;
    public DateTime? ExpiresAt { get; set; }
    public string Notes { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One use of a promo code (one per user and code).</summary>
internal sealed class PromoCodeUsage
{
    public long Id { get; set; }
    public long PromoCodeId { get; set; }
    public long UserId { get; set; }
    public decimal BonusAmount { get; set; }
    public DateTime UsedAt { get; set; }
}

namespace Sub2Api.Data.Entities;

/// <summary>Redeem codes; admin balance/concurrency adjustments are stored here too (the balance history).</summary>
internal sealed class RedeemCode
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Type { get; set; }
    public decimal Value { get; set; }
    public string Status { get; set; } = Statuses.Unused;
    public long? UsedBy { get; set; }
    public DateTime? UsedAt { get; set; }
    public string Notes { get; set; } = "";
    public long? GroupId { get; set; }
    public int ValidityDays { get; set; } = 30;
    public DateTime CreatedAt { get; set; }
}

namespace Sub2Api.Data.Entities;

/// <summary>One billed request. Unique on (request_id, api_key_id): a request is never billed twice.</summary>
internal sealed class UsageLog
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public long ApiKeyId { get; set; }
    public long AccountId { get; set; }
    public required string RequestId { get; set; }
    public required string Model { get; set; }
    public long? GroupId { get; set; }
    public long? SubscriptionId { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CacheCreationTokens { get; set; }
    public long CacheReadTokens { get; set; }
    public long CacheCreation5mTokens { get; set; }
    public long CacheCreation1hTokens { get; set; }
    public decimal InputCost { get; set; }
    public decimal OutputCost { get; set; }
    public decimal CacheCreationCost { get; set; }
    public decimal CacheReadCost { get; set; }
    public decimal TotalCost { get; set; }
    public decimal ActualCost { get; set; }
    public decimal RateMultiplier { get; set; } = 1m;
    public decimal AccountRateMultiplier { get; set; } = 1m;
    public short BillingType { get; set; }
    public bool Stream { get; set; }
    public int? DurationMs { get; set; }
    public int? FirstTokenMs { get; set; }
    public string? UserAgent { get; set; }
    public string? IpAddress { get; set; }
    public int ImageCount { get; set; }
    public string? ImageSize { get; set; }
    public string? ReasoningEffort { get; set; }
    public DateTime CreatedAt { get; set; }
}

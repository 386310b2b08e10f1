namespace Sub2Api.Billing;

/// <summary>
/// Everything needed to write one usage_logs row and charge for it. Also the line format of the usage
/// journal, so it must stay serialisable and self-contained (no references to live objects).
/// </summary>
internal sealed record UsageRecord
{
    public required string RequestId { get; init; }
    public required long UserId { get; init; }
    public required long ApiKeyId { get; init; }
    public required long AccountId { get; init; }
    public long? GroupId { get; init; }
    public long? SubscriptionId { get; init; }
    public required string Model { get; init; }
    public required TokenUsage Tokens { get; init; }
    public required CostBreakdown Cost { get; init; }
    public decimal RateMultiplier { get; init; } = 1m;
    public decimal AccountRateMultiplier { get; init; } = 1m;
    public short BillingType { get; init; }
    /// <summary>False in simple mode: recorded, never charged.</summary>
    public bool Charge { get; init; } = true;
    /// <summary>The key has a quota, so quota_used must grow too.</summary>
    public bool KeyHasQuota { get; init; }
    public bool Stream { get; init; }
    public int? DurationMs { get; init; }
    public int? FirstTokenMs { get; init; }
    public string? UserAgent { get; init; }
    public string? IpAddress { get; init; }
    public required DateTime CreatedAt { get; init; }

    /// <summary>Whether the charge goes to a subscription's windows rather than the user's balance.</summary>
    public bool ChargesSubscription(out long subscriptionId)
    {
        subscriptionId = SubscriptionId ?? 0;
        return BillingType == Data.Entities.BillingTypes.Subscription && SubscriptionId is not null;
    }

    /// <summary>Read back from the journal at start-up: it may already be in the database.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Replayed { get; init; }

    /// <summary>The journal file holding this record's line until it is committed (see <see cref="UsageJournal"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal JournalSegment? Segment { get; set; }
}

namespace Sub2Api.Data.Entities;

internal sealed class Group : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string Platform { get; set; } = Platforms.Anthropic;
    public decimal RateMultiplier { get; set; } = 1m;
    public bool IsExclusive { get; set; }
    public string Status { get; set; } = Statuses.Active;
    public string SubscriptionType { get; set; } = SubscriptionTypes.Standard;
    public decimal? DailyLimitUsd { get; set; }
    public decimal? WeeklyLimitUsd { get; set; }
    public decimal? MonthlyLimitUsd { get; set; }
    public int DefaultValidityDays { get; set; } = 30;
    public decimal? ImagePrice1K { get; set; }
    public decimal? ImagePrice2K { get; set; }
    public decimal? ImagePrice4K { get; set; }
    public bool ClaudeCodeOnly { get; set; }
    public long? FallbackGroupId { get; set; }
    public long? FallbackGroupIdOnInvalidRequest { get; set; }
    /// <summary>JSON <c>{modelPattern: [accountIds]}</c>.</summary>
    public Dictionary<string, List<long>> ModelRouting { get; set; } = [];
    public bool ModelRoutingEnabled { get; set; }
    public bool McpXmlInject { get; set; } = true;
    public List<string> SupportedModelScopes { get; set; } = ["claude", "gemini_text", "gemini_image"];
    public int SortOrder { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

namespace Sub2Api.UserPortal;

/// <summary>The user's dashboard cards: their keys and their own usage, in total, today (UTC) and in the last minute.</summary>
internal sealed record UserDashboardStatsDto
{
    public long TotalApiKeys { get; init; }
    public long ActiveApiKeys { get; init; }
    public long TotalRequests { get; init; }
    public long TotalInputTokens { get; init; }
    public long TotalOutputTokens { get; init; }
    public long TotalCacheCreationTokens { get; init; }
    public long TotalCacheReadTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal TotalCost { get; init; }
    public decimal TotalActualCost { get; init; }
    public long TodayRequests { get; init; }
    public long TodayInputTokens { get; init; }
    public long TodayOutputTokens { get; init; }
    public long TodayCacheCreationTokens { get; init; }
    public long TodayCacheReadTokens { get; init; }
    public long TodayTokens { get; init; }
    public decimal TodayCost { get; init; }
    public decimal TodayActualCost { get; init; }
    public double AverageDurationMs { get; init; }
    public long Rpm { get; init; }
    public long Tpm { get; init; }
}

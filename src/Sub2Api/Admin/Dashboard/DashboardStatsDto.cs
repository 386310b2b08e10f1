namespace Sub2Api.Admin.Dashboard;

/// <summary>The admin dashboard cards (SPEC §8). "Today" is the current UTC day; rpm/tpm cover the last minute.</summary>
internal sealed record DashboardStatsDto
{
    public long TotalUsers { get; init; }
    public long TodayNewUsers { get; init; }
    public long ActiveUsers { get; init; }
    public long HourlyActiveUsers { get; init; }
    public long TotalApiKeys { get; init; }
    public long ActiveApiKeys { get; init; }
    public long TotalAccounts { get; init; }
    public long NormalAccounts { get; init; }
    public long ErrorAccounts { get; init; }
    public long RatelimitAccounts { get; init; }
    public long OverloadAccounts { get; init; }
    public long TotalRequests { get; init; }
    public long TodayRequests { get; init; }
    public long TotalInputTokens { get; init; }
    public long TotalOutputTokens { get; init; }
    public long TotalCacheCreationTokens { get; init; }
    public long TotalCacheReadTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal TotalCost { get; init; }
    public decimal TotalActualCost { get; init; }
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

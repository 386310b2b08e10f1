using System.Text.Json.Serialization;
using Sub2Api.Data.Entities;

namespace Sub2Api.Usage;

/// <summary>One usage_logs row as the user and admin usage pages show it (admins get names with it: <c>AdminUsageLogDto</c>).</summary>
internal record UsageLogDto(
    long Id, long UserId, long ApiKeyId, long AccountId, string RequestId, string Model, long? GroupId, long? SubscriptionId,
    long InputTokens, long OutputTokens, long CacheCreationTokens, long CacheReadTokens,
    // The snake_case policy splits no word before a digit; the original names these with one.
    [property: JsonPropertyName("cache_creation_5m_tokens")] long CacheCreation5mTokens,
    [property: JsonPropertyName("cache_creation_1h_tokens")] long CacheCreation1hTokens,
    decimal InputCost, decimal OutputCost, decimal CacheCreationCost, decimal CacheReadCost, decimal TotalCost, decimal ActualCost,
    decimal RateMultiplier, decimal AccountRateMultiplier, short BillingType, bool Stream, int? DurationMs, int? FirstTokenMs,
    string? UserAgent, string? IpAddress, int ImageCount, string? ImageSize, string? ReasoningEffort, DateTime CreatedAt)
{
    public static UsageLogDto From(UsageLog u) => new(
        u.Id, u.UserId, u.ApiKeyId, u.AccountId, u.RequestId, u.Model, u.GroupId, u.SubscriptionId,
        u.InputTokens, u.OutputTokens, u.CacheCreationTokens, u.CacheReadTokens,
        u.CacheCreation5mTokens, u.CacheCreation1hTokens,
        u.InputCost, u.OutputCost, u.CacheCreationCost, u.CacheReadCost, u.TotalCost, u.ActualCost,
        u.RateMultiplier, u.AccountRateMultiplier, u.BillingType, u.Stream, u.DurationMs, u.FirstTokenMs,
        u.UserAgent, u.IpAddress, u.ImageCount, u.ImageSize, u.ReasoningEffort, u.CreatedAt);
}

/// <summary>
/// Totals over a filtered set of usage rows. <c>total_tokens</c> counts input, output and both cache kinds,
/// as the original does; costs are exact decimals.
/// </summary>
internal sealed record UsageStats(
    long TotalRequests, long TotalInputTokens, long TotalOutputTokens, long TotalCacheCreationTokens, long TotalCacheReadTokens,
    long TotalCacheTokens, long TotalTokens, decimal TotalCost, decimal TotalActualCost, double AverageDurationMs)
{
    public static readonly UsageStats Empty = new(0, 0, 0, 0, 0, 0, 0, 0m, 0m, 0d);
}

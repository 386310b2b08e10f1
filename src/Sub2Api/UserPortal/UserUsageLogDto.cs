using System.Text.Json.Serialization;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserPortal;

/// <summary>
/// A usage row as its owner sees it: the admin row without what is the operator's business — the client IP the
/// gateway recorded and the account's cost multiplier (which account served a request, and at what cost to the
/// operator, is not the user's to see).
/// </summary>
internal sealed record UserUsageLogDto(
    long Id, long UserId, long ApiKeyId, long AccountId, string RequestId, string Model, long? GroupId, long? SubscriptionId,
    long InputTokens, long OutputTokens, long CacheCreationTokens, long CacheReadTokens,
    [property: JsonPropertyName("cache_creation_5m_tokens")] long CacheCreation5mTokens,
    [property: JsonPropertyName("cache_creation_1h_tokens")] long CacheCreation1hTokens,
    decimal InputCost, decimal OutputCost, decimal CacheCreationCost, decimal CacheReadCost, decimal TotalCost, decimal ActualCost,
    decimal RateMultiplier, short BillingType, bool Stream, int? DurationMs, int? FirstTokenMs,
    string? UserAgent, int ImageCount, string? ImageSize, string? ReasoningEffort, DateTime CreatedAt)
{
    public static UserUsageLogDto From(UsageLog u) => new(
        u.Id, u.UserId, u.ApiKeyId, u.AccountId, u.RequestId, u.Model, u.GroupId, u.SubscriptionId,
        u.InputTokens, u.OutputTokens, u.CacheCreationTokens, u.CacheReadTokens,
        u.CacheCreation5mTokens, u.CacheCreation1hTokens,
        u.InputCost, u.OutputCost, u.CacheCreationCost, u.CacheReadCost, u.TotalCost, u.ActualCost,
        u.RateMultiplier, u.BillingType, u.Stream, u.DurationMs, u.FirstTokenMs,
        u.UserAgent, u.ImageCount, u.ImageSize, u.ReasoningEffort, u.CreatedAt);
}

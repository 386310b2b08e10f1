using System.Text.Json.Serialization;
using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Groups;

/// <summary>
/// Body of <c>POST /groups</c> and <c>PUT /groups/{id}</c>. On update a missing or null field keeps its value;
/// an explicit JSON null clears a nullable column (limits, image prices, fallbacks).
/// </summary>
internal sealed record GroupRequest(
    string? Name,
    string? Description,
    string? Platform,
    decimal? RateMultiplier,
    bool? IsExclusive,
    string? Status,
    string? SubscriptionType,
    decimal? DailyLimitUsd,
    decimal? WeeklyLimitUsd,
    decimal? MonthlyLimitUsd,
    int? DefaultValidityDays,
    [property: JsonPropertyName("image_price_1k")] decimal? ImagePrice1K,
    [property: JsonPropertyName("image_price_2k")] decimal? ImagePrice2K,
    [property: JsonPropertyName("image_price_4k")] decimal? ImagePrice4K,
    bool? ClaudeCodeOnly,
    long? FallbackGroupId,
    long? FallbackGroupIdOnInvalidRequest,
    Dictionary<string, List<long>?>? ModelRouting,
    bool? ModelRoutingEnabled,
    bool? McpXmlInject,
    List<string>? SupportedModelScopes,
    int? SortOrder);

internal sealed record SortOrderUpdate(long? Id, int? SortOrder);

/// <summary>Body of <c>PUT /groups/sort-order</c>; a bare array of updates is accepted too.</summary>
internal sealed record SortOrderRequest(List<SortOrderUpdate?>? Updates);

/// <summary>A group as the admin API shows it.</summary>
internal sealed record GroupDto(
    long Id,
    string Name,
    string Description,
    string Platform,
    decimal RateMultiplier,
    bool IsExclusive,
    string Status,
    string SubscriptionType,
    decimal? DailyLimitUsd,
    decimal? WeeklyLimitUsd,
    decimal? MonthlyLimitUsd,
    int DefaultValidityDays,
    [property: JsonPropertyName("image_price_1k")] decimal? ImagePrice1K,
    [property: JsonPropertyName("image_price_2k")] decimal? ImagePrice2K,
    [property: JsonPropertyName("image_price_4k")] decimal? ImagePrice4K,
    bool ClaudeCodeOnly,
    long? FallbackGroupId,
    long? FallbackGroupIdOnInvalidRequest,
    IReadOnlyDictionary<string, List<long>> ModelRouting,
    bool ModelRoutingEnabled,
    bool McpXmlInject,
    IReadOnlyList<string> SupportedModelScopes,
    int SortOrder,
    long AccountCount,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static GroupDto From(Group g, long accountCount) => new(
        g.Id, g.Name, g.Description, g.Platform, g.RateMultiplier, g.IsExclusive, g.Status, g.SubscriptionType,
        g.DailyLimitUsd, g.WeeklyLimitUsd, g.MonthlyLimitUsd, g.DefaultValidityDays,
        g.ImagePrice1K, g.ImagePrice2K, g.ImagePrice4K, g.ClaudeCodeOnly, g.FallbackGroupId, g.FallbackGroupIdOnInvalidRequest,
        g.ModelRouting, g.ModelRoutingEnabled, g.McpXmlInject, g.SupportedModelScopes, g.SortOrder,
        accountCount, g.CreatedAt, g.UpdatedAt);
}

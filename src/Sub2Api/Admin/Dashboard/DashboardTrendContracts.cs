using Sub2Api.Usage;

namespace Sub2Api.Admin.Dashboard;

/// <summary>
/// <c>/admin/dashboard/trend</c>: the same buckets as a user's own dashboard, over all usage. <c>cost</c> is the
/// standard price, <c>actual_cost</c> what users were charged.
/// </summary>
internal sealed record TrendResponse(IReadOnlyList<UsageTrendPoint> Trend, string StartDate, string EndDate, string Granularity);

/// <summary>One model of <c>/admin/dashboard/models</c>.</summary>
internal sealed record ModelStat(string Model, long Requests, long InputTokens, long OutputTokens, long CacheCreationTokens,
    long CacheReadTokens, long TotalTokens, decimal Cost, decimal ActualCost);

internal sealed record ModelsResponse(IReadOnlyList<ModelStat> Models, string StartDate, string EndDate);

/// <summary>One (bucket, user) of <c>/admin/dashboard/users-trend</c>.</summary>
internal sealed record UserTrendPoint(string Date, long UserId, string Email, long Requests, long Tokens, decimal Cost, decimal ActualCost);

/// <summary>One (bucket, key) of <c>/admin/dashboard/api-keys-trend</c>.</summary>
internal sealed record ApiKeyTrendPoint(string Date, long ApiKeyId, string KeyName, long Requests, long Tokens, decimal Cost, decimal ActualCost);

internal sealed record SeriesTrendResponse<T>(IReadOnlyList<T> Trend, string StartDate, string EndDate, string Granularity);

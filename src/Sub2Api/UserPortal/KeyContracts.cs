using System.Text.Json;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserPortal;

/// <summary>POST /keys. Without <c>custom_key</c> a <c>sk-</c> + 64 hex key is generated.</summary>
internal sealed record CreateKeyRequest(
    string? Name, long? GroupId, string? CustomKey, List<string?>? IpWhitelist, List<string?>? IpBlacklist,
    decimal? Quota, int? ExpiresInDays);

/// <summary>
/// PUT /keys/{id}: absent fields stay unchanged. <c>group_id</c> and <c>expires_at</c> are raw JSON because
/// null is meaningful there (unbind the group, remove the expiry) and must differ from "not sent".
/// </summary>
internal sealed record UpdateKeyRequest(
    string? Name, JsonElement GroupId, string? Status, List<string?>? IpWhitelist, List<string?>? IpBlacklist,
    decimal? Quota, JsonElement ExpiresAt, bool? ResetQuota);

/// <summary>
/// An API key as the owner sees it. <c>key</c> is the full secret only in the create response; everywhere
/// else it is the stored hint, since only a hash of the key is kept.
/// </summary>
internal sealed record ApiKeyDto(
    long Id, long UserId, string Key, string Name, long? GroupId, KeyGroupDto? Group, string Status,
    IReadOnlyList<string> IpWhitelist, IReadOnlyList<string> IpBlacklist, decimal Quota, decimal QuotaUsed,
    DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ApiKeyDto From(ApiKey k, string? fullKey = null) => new(
        k.Id, k.UserId, fullKey ?? k.KeyHint, k.Name, k.GroupId, k.Group is { } g ? KeyGroupDto.From(g) : null, k.Status,
        k.IpWhitelist, k.IpBlacklist, k.Quota, k.QuotaUsed, k.ExpiresAt, k.LastUsedAt, k.CreatedAt, k.UpdatedAt);
}

internal sealed record KeyGroupDto(long Id, string Name, string Platform, decimal RateMultiplier, string SubscriptionType)
{
    public static KeyGroupDto From(Group g) => new(g.Id, g.Name, g.Platform, g.RateMultiplier, g.SubscriptionType);
}

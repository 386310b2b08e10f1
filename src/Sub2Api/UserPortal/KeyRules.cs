using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserPortal;

/// <summary>Validation and status rules for API keys, kept apart from the HTTP handlers.</summary>
internal static class KeyRules
{
    public const int MaxNameLength = 100;
    public const int MaxIpEntries = 100;
    public const int MaxExpiresInDays = 36500;

    /// <summary>What an update may set; "inactive" is the UI's word for disabled.</summary>
    public static readonly string[] SettableStatuses = [Statuses.Active, Statuses.Inactive, Statuses.Disabled];

    /// <summary>
    /// Trims entries and drops blanks (UIs send one entry per textarea line); every other entry must be an
    /// IP address or a CIDR range. Returns the message naming the field, or null.
    /// </summary>
    public static string? NormalizeIpList(List<string?>? entries, string field, out List<string> normalized)
    {
        normalized = [];
        foreach (var raw in entries ?? [])
        {
            var entry = raw?.Trim();
            if (string.IsNullOrEmpty(entry))
            {
                continue;
            }
            if (!IsIpOrCidr(entry))
            {
                return $"{field} entry '{Truncate(entry)}' is not an IP address or CIDR range";
            }
            if (!normalized.Contains(entry, StringComparer.OrdinalIgnoreCase))
            {
                normalized.Add(entry);
            }
        }
        return normalized.Count > MaxIpEntries ? $"{field} may hold at most {MaxIpEntries} entries" : null;
    }

    private static bool IsIpOrCidr(string entry)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? entry : entry[..slash];
        if (!IsStrictAddress(address))
        {
            return false;
        }
        return slash < 0 || IPNetwork.TryParse(entry, out _);
    }

    /// <summary>IPAddress.TryParse also takes shorthand like "10" or "10.1"; a whitelist entry must be unambiguous.</summary>
    private static bool IsStrictAddress(string address) =>
        IPAddress.TryParse(address, out var ip)
        && (ip.AddressFamily == AddressFamily.InterNetworkV6 || address.Count(c => c == '.') == 3);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    /// <summary>Reads <c>group_id</c> of an update: absent → unchanged, null or 0 → unbind, else the id.</summary>
    public static string? ReadGroupId(JsonElement element, out bool present, out long? groupId)
    {
        present = element.ValueKind != JsonValueKind.Undefined;
        groupId = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when element.TryGetInt64(out var id) && id >= 0:
                groupId = id == 0 ? null : id;
                return null;
            default:
                return "group_id must be a group id or null";
        }
    }

    /// <summary>Reads <c>expires_at</c> of an update: absent → unchanged, null or "" → never expires, else an ISO time.</summary>
    public static string? ReadExpiresAt(JsonElement element, out bool present, out DateTime? expiresAt)
    {
        present = element.ValueKind != JsonValueKind.Undefined;
        expiresAt = null;
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return "expires_at must be an ISO-8601 time string or null";
        }
        var text = element.GetString()!.Trim();
        if (text.Length == 0)
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return "expires_at must be an ISO-8601 time, e.g. 2026-12-31T00:00:00Z";
        }
        expiresAt = parsed.UtcDateTime;
        return null;
    }

    /// <summary>
    /// The status a key that is not disabled should have after its quota or expiry changed: raising the quota,
    /// resetting usage or extending the expiry brings an exhausted or expired key back to active.
    /// </summary>
    public static string DeriveStatus(ApiKey key, DateTime now) =>
        key.Quota > 0 && key.QuotaUsed >= key.Quota ? Statuses.QuotaExhausted
        : key.ExpiresAt is { } expires && expires <= now ? Statuses.Expired
        : Statuses.Active;
}

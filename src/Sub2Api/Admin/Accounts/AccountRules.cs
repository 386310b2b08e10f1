using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Providers.Anthropic.OAuth;
using Sub2Api.Security;

namespace Sub2Api.Admin.Accounts;

/// <summary>Validation of an <see cref="AccountRequest"/> and copying it onto an <see cref="Account"/>.</summary>
internal static class AccountRules
{
    /// <summary>"upstream" (base URL + key) is accepted for compatibility and stored as apikey, as migration 052 does.</summary>
    public const string Upstream = "upstream";
    public static readonly string[] AcceptedTypes = [.. AccountTypes.All, Upstream];
    public static readonly string[] EditableStatuses = [Statuses.Active, Statuses.Disabled];
    public static readonly string[] FilterStatuses = [Statuses.Active, Statuses.Disabled, Statuses.Error];

    /// <summary>Year 9999 in unix seconds; anything later cannot be a date.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public static string? NormalizeType(string? type) => type == Upstream ? AccountTypes.ApiKey : type;

    public static string? CheckFields(AccountRequest r, bool creating) => Validate.First(
        creating || r.Name is not null ? Validate.Required(r.Name, "name", 100) : null,
        r.Notes?.Length > 2000 ? "notes must be at most 2000 characters" : null,
        Validate.OneOf(r.Platform, "platform", Platforms.All, required: creating),
        Validate.OneOf(r.Type, "type", AcceptedTypes, required: creating),
        creating && r.Credentials is not { ValueKind: not JsonValueKind.Null } ? "credentials is required" : null,
        Validate.OneOf(r.Status, "status", EditableStatuses, required: false),
        r.ProxyId < 0 ? "proxy_id must be a proxy id (0 or null clears it)" : null,
        Validate.Range(r.Concurrency, "concurrency", 0, 100_000),
        MoneyBounds.Multiplier(r.RateMultiplier, "rate_multiplier"),
        r.GroupIds?.Any(id => id <= 0) == true ? "group_ids must contain group ids" : null,
        r.ExpiresAt is < 0 or > MaxUnixSeconds ? "expires_at must be a unix timestamp in seconds (0 or null clears it)" : null);

    /// <summary>
    /// <c>credentials</c> and <c>extra</c> as JSON objects (null when absent). Duplicate keys are refused here:
    /// <see cref="JsonObject"/> would throw on them, and two values for one secret are ambiguous anyway.
    /// </summary>
    public static string? ReadObjects(AccountRequest r, out JsonObject? credentials, out JsonObject? extra)
    {
        extra = null;
        return ReadObject(r.Credentials, "credentials", out credentials) ?? ReadObject(r.Extra, "extra", out extra);
    }

    private static string? ReadObject(JsonElement? element, string field, out JsonObject? value)
    {
        value = null;
        if (element is not { ValueKind: not JsonValueKind.Null } e)
        {
            return null;
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            return $"{field} must be a JSON object";
        }
        if (FindDuplicateKey(e) is { } duplicate)
        {
            return $"{field} contains the key '{duplicate}' more than once";
        }
        value = JsonNode.Parse(e.GetRawText())!.AsObject();
        return null;
    }

    private static string? FindDuplicateKey(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            return e.EnumerateArray().Select(FindDuplicateKey).FirstOrDefault(d => d is not null);
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return property.Name;
            }
            if (FindDuplicateKey(property.Value) is { } nested)
            {
                return nested;
            }
        }
        return null;
    }

    /// <summary>The rules a credentials object must meet for an account of <paramref name="type"/>.</summary>
    public static string? CheckCredentials(string type, JsonObject credentials)
    {
        if (credentials.Count == 0)
        {
            return "credentials must not be empty";
        }
        foreach (var (name, value) in credentials)
        {
            // Masking only knows strings: a secret sent as a number or object would come back in clear.
            if (CredentialsCodec.IsSecretField(name) && value is not null && !IsString(value))
            {
                return $"credentials.{name} must be a string";
            }
        }
        if (type == AccountTypes.ApiKey && !IsNonEmptyString(credentials["api_key"]))
        {
            return "credentials.api_key is required for apikey accounts";
        }
        if (type is AccountTypes.OAuth or AccountTypes.SetupToken
            && !IsNonEmptyString(credentials["access_token"]) && !IsNonEmptyString(credentials["refresh_token"]))
        {
            return $"credentials.access_token or credentials.refresh_token is required for {type} accounts";
        }
        // The token expiry drives refreshing: a value that is not a time would leave the token to die unrefreshed.
        if (type is AccountTypes.OAuth or AccountTypes.SetupToken && !ClaudeCredentials.IsValidExpiresAt(credentials))
        {
            return "credentials.expires_at must be a unix timestamp (seconds, as a number or a string) or an ISO-8601 time";
        }
        if (credentials["base_url"] is { } baseUrl
            && !(IsString(baseUrl) && Uri.TryCreate(baseUrl.GetValue<string>(), UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https"))
        {
            return "credentials.base_url must be an absolute http(s) URL";
        }
        if (credentials["model_mapping"] is { } mapping
            && (mapping is not JsonObject map || map.Any(kv => string.IsNullOrEmpty(kv.Key) || kv.Value is null || !IsString(kv.Value))))
        {
            return "credentials.model_mapping must be an object mapping model names to model names";
        }
        return Scheduling.TempUnschedulableRules.Validate(credentials);
    }

    private static bool IsString(JsonNode node) => node is JsonValue v && v.TryGetValue<string>(out _);

    private static bool IsNonEmptyString(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text);

    /// <summary>The proxy must exist; each group must exist and serve the account's platform.</summary>
    public static async Task<string?> CheckReferencesAsync(Sub2ApiDbContext db, string platform, long? proxyId,
        IReadOnlyCollection<long>? groupIds, CancellationToken ct)
    {
        if (proxyId is > 0 and var proxy && !await db.Proxies.AnyAsync(p => p.Id == proxy, ct))
        {
            return $"proxy_id: proxy {proxy} does not exist";
        }
        if (groupIds is not { Count: > 0 })
        {
            return null;
        }
        var groups = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => new { g.Id, g.Platform }).ToListAsync(ct);
        if (groupIds.FirstOrDefault(id => groups.All(g => g.Id != id)) is var missing and > 0)
        {
            return $"group_ids: group {missing} does not exist";
        }
        return groups.FirstOrDefault(g => !CanJoin(platform, g.Platform)) is { } wrong
            ? $"group_ids: group {wrong.Id} is a {wrong.Platform} group and cannot hold {platform} accounts"
            : null;
    }

    /// <summary>Antigravity serves both Claude and Gemini models, so its accounts may join those groups too.</summary>
    public static bool CanJoin(string accountPlatform, string groupPlatform) =>
        accountPlatform == groupPlatform
        || (accountPlatform == Platforms.Antigravity && groupPlatform is Platforms.Anthropic or Platforms.Gemini);

    /// <summary>
    /// Copies the given fields (already validated). <paramref name="credentials"/> is the final plaintext object or
    /// null to keep the stored one, likewise <paramref name="extra"/>; <paramref name="cleared"/> tells whether a field was sent as an explicit null.
    /// </summary>
    public static void Apply(Account a, AccountRequest r, JsonObject? credentials, JsonObject? extra, CredentialsCodec codec,
        Func<string, bool> cleared)
    {
        a.Name = r.Name?.Trim() ?? a.Name;
        a.Notes = r.Notes ?? a.Notes;
        a.Platform = r.Platform ?? a.Platform;
        a.Type = NormalizeType(r.Type) ?? a.Type;
        if (credentials is not null)
        {
            a.CredentialsEncrypted = codec.Protect(credentials);
        }
        if (extra is not null)
        {
            a.Extra = extra.ToJsonString();
        }
        if (r.ProxyId is not null || cleared("proxy_id"))
        {
            a.ProxyId = r.ProxyId is > 0 ? r.ProxyId : null;
        }
        a.Concurrency = r.Concurrency ?? a.Concurrency;
        a.Priority = r.Priority ?? a.Priority;
        a.RateMultiplier = r.RateMultiplier ?? a.RateMultiplier;
        if (r.ExpiresAt is not null || cleared("expires_at"))
        {
            a.ExpiresAt = r.ExpiresAt is > 0 and var seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime : null;
        }
        a.AutoPauseOnExpired = r.AutoPauseOnExpired ?? a.AutoPauseOnExpired;
        a.Schedulable = r.Schedulable ?? a.Schedulable;
        a.Status = r.Status ?? a.Status;
        if (r.GroupIds is not null)
        {
            // Diff rather than clear-and-re-add: re-adding a tracked (account, group) key would clash in the tracker.
            var wanted = r.GroupIds.ToHashSet();
            a.Groups.RemoveAll(g => !wanted.Contains(g.GroupId));
            var now = DateTime.UtcNow;
            foreach (var groupId in wanted.Where(id => a.Groups.All(g => g.GroupId != id)))
            {
                a.Groups.Add(new AccountGroup { GroupId = groupId, CreatedAt = now });
            }
        }
    }
}

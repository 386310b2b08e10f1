using System.Text.Json;
using System.Text.Json.Nodes;
using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Accounts;

/// <summary>
/// Body of <c>POST /accounts</c> and <c>PUT /accounts/{id}</c>. On update a missing or null field keeps its
/// value; an explicit null (or 0) clears <c>proxy_id</c> and <c>expires_at</c>. <c>expires_at</c> is unix seconds.
/// <c>credentials</c> and <c>extra</c> arrive as raw JSON so that a bad shape is a 400, not a binder exception.
/// </summary>
internal sealed record AccountRequest(
    string? Name,
    string? Notes,
    string? Platform,
    string? Type,
    JsonElement? Credentials,
    JsonElement? Extra,
    long? ProxyId,
    int? Concurrency,
    int? Priority,
    decimal? RateMultiplier,
    List<long>? GroupIds,
    long? ExpiresAt,
    bool? AutoPauseOnExpired,
    bool? Schedulable,
    string? Status);

/// <summary>A group an account belongs to, as the account list names it.</summary>
internal sealed record AccountGroupRef(long Id, string Name, string Platform);

/// <summary>An account's proxy as the account list shows it: where it goes, never its username or password.</summary>
internal sealed record AccountProxyRef(long Id, string Name, string Protocol, string Host, int Port);

/// <summary>An account as the admin API shows it: credentials always masked, never in clear.</summary>
internal sealed record AccountDto(
    long Id,
    string Name,
    string Notes,
    string Platform,
    string Type,
    JsonObject Credentials,
    JsonObject Extra,
    long? ProxyId,
    int Concurrency,
    int Priority,
    decimal RateMultiplier,
    string Status,
    string ErrorMessage,
    DateTime? LastUsedAt,
    long? ExpiresAt,
    bool AutoPauseOnExpired,
    bool Schedulable,
    DateTime? RateLimitedAt,
    DateTime? RateLimitResetAt,
    DateTime? OverloadUntil,
    DateTime? TempUnschedulableUntil,
    string? TempUnschedulableReason,
    DateTime? SessionWindowStart,
    DateTime? SessionWindowEnd,
    string? SessionWindowStatus,
    IReadOnlyList<long> GroupIds,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>Slots in use right now (the original's <c>current_concurrency</c>); filled by the routes that list accounts.</summary>
    public int CurrentConcurrency { get; init; }

    /// <summary>The groups the account serves, by name (the original's nested <c>groups</c>); filled by <see cref="AccountReferences"/>.</summary>
    public IReadOnlyList<AccountGroupRef> Groups { get; init; } = [];

    /// <summary>The account's proxy without its credentials (the original's nested <c>proxy</c>), or null.</summary>
    public AccountProxyRef? Proxy { get; init; }

    public static AccountDto From(Account a, JsonObject maskedCredentials) => new(
        a.Id, a.Name, a.Notes, a.Platform, a.Type, maskedCredentials, ParseExtra(a.Extra), a.ProxyId,
        a.Concurrency, a.Priority, a.RateMultiplier, a.Status, a.ErrorMessage, a.LastUsedAt,
        a.ExpiresAt is { } expires ? new DateTimeOffset(expires).ToUnixTimeSeconds() : null,
        a.AutoPauseOnExpired, a.Schedulable, a.RateLimitedAt, a.RateLimitResetAt, a.OverloadUntil,
        a.TempUnschedulableUntil, a.TempUnschedulableReason, a.SessionWindowStart, a.SessionWindowEnd, a.SessionWindowStatus,
        a.Groups.Select(g => g.GroupId).Order().ToList(), a.CreatedAt, a.UpdatedAt);

    /// <summary>Other writers (the scheduler, OAuth flows) also touch <c>extra</c>; a bad value must not break listing.</summary>
    private static JsonObject ParseExtra(string extra)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(extra) ? "{}" : extra) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

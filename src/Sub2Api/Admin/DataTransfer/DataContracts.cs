using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.Admin.DataTransfer;

/// <summary>
/// The original's migration file (<c>type: "sub2api-data"</c>, version 1): proxies and accounts, accounts naming
/// their proxy by <c>proxy_key</c> (<c>protocol|host|port|username|password</c>) instead of an id. Account
/// credentials travel in clear: the file is a secret.
/// </summary>
internal sealed record DataPayload(
    string? Type,
    int? Version,
    string? ExportedAt,
    List<DataProxy?>? Proxies,
    List<DataAccount?>? Accounts)
{
    public const string CurrentType = "sub2api-data";
    public const string LegacyType = "sub2api-bundle";
    public const int CurrentVersion = 1;
}

internal sealed record DataProxy(
    string? ProxyKey,
    string? Name,
    string? Protocol,
    string? Host,
    int? Port,
    string? Username,
    string? Password,
    string? Status);

internal sealed record DataAccount(
    string? Name,
    string? Notes,
    string? Platform,
    string? Type,
    JsonElement? Credentials,
    JsonElement? Extra,
    string? ProxyKey,
    int? Concurrency,
    int? Priority,
    decimal? RateMultiplier,
    long? ExpiresAt,
    bool? AutoPauseOnExpired);

/// <summary>An exported account: the same fields, credentials and extra as JSON objects.</summary>
internal sealed record DataAccountOut(
    string Name,
    string? Notes,
    string Platform,
    string Type,
    JsonObject Credentials,
    JsonObject? Extra,
    string? ProxyKey,
    int Concurrency,
    int Priority,
    decimal RateMultiplier,
    long? ExpiresAt,
    bool AutoPauseOnExpired);

internal sealed record DataPayloadOut(
    string Type,
    int Version,
    string ExportedAt,
    IReadOnlyList<DataProxy> Proxies,
    IReadOnlyList<DataAccountOut> Accounts);

/// <summary>Body of <c>POST /accounts/data</c> and <c>POST /proxies/data</c>.</summary>
internal sealed record DataImportRequest(DataPayload? Data, bool? SkipDefaultGroupBind);

internal sealed record DataImportError(string Kind, string? Name, string? ProxyKey, string Message);

internal sealed class DataImportResult
{
    public int ProxyCreated { get; set; }
    public int ProxyReused { get; set; }
    public int ProxyFailed { get; set; }
    public int AccountCreated { get; set; }
    public int AccountFailed { get; set; }
    public List<DataImportError> Errors { get; } = [];
}

using System.Text.Json;

namespace Sub2Api.Admin.Accounts;

/// <summary>Body of <c>POST /accounts/batch</c>: each item is a <c>POST /accounts</c> body.</summary>
internal sealed record BatchCreateAccountsRequest(List<AccountRequest?>? Accounts);

/// <summary>
/// Body of <c>POST /accounts/bulk-update</c>: the fields given are set on every listed account, the others left
/// alone. <c>proxy_id</c> 0 clears the proxy; <c>credentials</c> and <c>extra</c> are merged key by key.
/// </summary>
internal sealed record BulkUpdateAccountsRequest(
    List<long>? AccountIds,
    string? Name,
    long? ProxyId,
    int? Concurrency,
    int? Priority,
    decimal? RateMultiplier,
    string? Status,
    bool? Schedulable,
    List<long>? GroupIds,
    JsonElement? Credentials,
    JsonElement? Extra);

/// <summary>
/// Body of <c>POST /accounts/batch-update-credentials</c>: the original's single <c>field</c>/<c>value</c> pair
/// (<c>account_uuid</c>, <c>org_uuid</c>, <c>intercept_warmup_requests</c>), or a <c>credentials</c> object whose keys are
/// merged into each account's credentials (e.g. a new <c>base_url</c> for many API-key accounts).
/// </summary>
internal sealed record BatchUpdateCredentialsRequest(List<long>? AccountIds, string? Field, JsonElement? Value, JsonElement? Credentials);

internal sealed record BulkAccountResult(long AccountId, bool Success, string? Error = null);

internal sealed record BulkAccountsResult(
    int Success,
    int Failed,
    IReadOnlyList<long> SuccessIds,
    IReadOnlyList<long> FailedIds,
    IReadOnlyList<BulkAccountResult> Results);

internal sealed record BatchCreateAccountResult(string? Name, long? Id, bool Success, string? Error = null);

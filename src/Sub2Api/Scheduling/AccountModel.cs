using System.Collections.Frozen;
using Sub2Api.Data.Entities;

namespace Sub2Api.Scheduling;

/// <summary>
/// An upstream account as the relay sees it: immutable, credentials already decrypted, extra already parsed.
/// Built once per pool snapshot, never per request. Runtime health lives in <see cref="AccountHealth"/>; OAuth
/// tokens live in <see cref="Accounts.AccountCredentialStore"/> (they change on every refresh, which must not
/// rebuild the snapshot).
/// </summary>
internal sealed record AccountModel
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public required string Platform { get; init; }
    public required string Type { get; init; }
    public required int Concurrency { get; init; }
    public required int Priority { get; init; }
    public required decimal RateMultiplier { get; init; }
    public required string Status { get; init; }
    public required bool Schedulable { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public bool AutoPauseOnExpired { get; init; } = true;
    public FrozenSet<long> GroupIds { get; init; } = FrozenSet<long>.Empty;

    // Credentials (the OAuth access token is read at send time from the credential store)
    public string? ApiKey { get; init; }
    public string? BaseUrl { get; init; }
    public FrozenDictionary<string, string> ModelMapping { get; init; } = FrozenDictionary<string, string>.Empty;
    public bool CustomErrorCodesEnabled { get; init; }
    public IReadOnlyCollection<int> CustomErrorCodes { get; init; } = [];
    /// <summary><c>credentials.temp_unschedulable_rules</c>, parsed once per snapshot.</summary>
    public IReadOnlyList<TempUnschedulableRule> TempUnschedulableRules { get; init; } = [];

    /// <summary>
    /// The upstream's own id of the account, sent with every request by providers that need one
    /// (<c>credentials.chatgpt_account_id</c>); not a secret.
    /// </summary>
    public string? UpstreamAccountId { get; init; }

    // Extra
    public string? AccountUuid { get; init; }
    public bool MixedScheduling { get; init; }

    /// <summary><c>proto://user:pass@host:port</c> of the account's proxy, or null for a direct connection.</summary>
    public string? ProxyUrl { get; init; }

    public bool IsOAuth => Type is AccountTypes.OAuth or AccountTypes.SetupToken;

    /// <summary>The account's status and admin switches (cooldowns are checked separately, against the clock).</summary>
    public bool IsEnabled(DateTime utcNow) =>
        Status == Statuses.Active && Schedulable && !(AutoPauseOnExpired && ExpiresAt is { } expires && expires <= utcNow);

    /// <summary>
    /// Model support through <c>credentials.model_mapping</c>: no mapping means every model; otherwise an exact
    /// key or a trailing-<c>*</c> pattern must match.
    /// </summary>
    public bool SupportsModel(string model) => ModelMapping.Count == 0 || ModelMappings.Resolve(ModelMapping, model) is not null;

    /// <summary>The upstream model for API-key accounts (exact, then the longest <c>*</c> pattern), else unchanged.</summary>
    public string MapModel(string model) =>
        Type == AccountTypes.ApiKey && ModelMappings.Resolve(ModelMapping, model) is { } mapped ? mapped : model;
}

/// <summary>Wildcard model mapping: exact key first, then the longest trailing-<c>*</c> prefix.</summary>
internal static class ModelMappings
{
    public static string? Resolve(IReadOnlyDictionary<string, string> mapping, string model)
    {
        if (mapping.TryGetValue(model, out var exact))
        {
            return exact;
        }
        string? best = null;
        var bestLength = -1;
        foreach (var (pattern, target) in mapping)
        {
            if (pattern.EndsWith('*') && pattern.Length - 1 > bestLength
                && model.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal))
            {
                best = target;
                bestLength = pattern.Length - 1;
            }
        }
        return best;
    }
}

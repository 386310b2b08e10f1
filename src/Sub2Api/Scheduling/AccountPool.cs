using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Accounts;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Security;

namespace Sub2Api.Scheduling;

/// <summary>An immutable view of every account, indexed for the scheduler.</summary>
internal sealed class PoolSnapshot(long generation, FrozenDictionary<long, AccountModel> byId)
{
    public static readonly PoolSnapshot Empty = new(-1, FrozenDictionary<long, AccountModel>.Empty);

    public long Generation { get; } = generation;
    public FrozenDictionary<long, AccountModel> ById { get; } = byId;
    public IEnumerable<AccountModel> All => ById.Values;
}

/// <summary>
/// Serves the account snapshot. It is rebuilt (one query, credentials decrypted once) only when the
/// configuration generation moves, so picking an account costs no database round trip.
/// </summary>
internal sealed partial class AccountPool(IDbContextFactory<Sub2ApiDbContext> dbFactory, ConfigGeneration generation,
    CredentialsCodec credentials, SecretProtector protector, AccountHealth health, AccountCredentialStore credentialStore,
    ILogger<AccountPool> logger) : IDisposable
{
    private volatile PoolSnapshot _snapshot = PoolSnapshot.Empty;
    private readonly SemaphoreSlim _rebuild = new(1, 1);

    public async ValueTask<PoolSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        var wanted = generation.Accounts;
        if (current.Generation == wanted)
        {
            return current;
        }
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot.Generation == generation.Accounts)
            {
                return _snapshot;
            }
            wanted = generation.Accounts; // read before loading: a change during the load triggers another rebuild
            var built = await BuildAsync(wanted, cancellationToken);
            _snapshot = built;
            return built;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    private async Task<PoolSnapshot> BuildAsync(long stamp, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Include(a => a.Groups).ToListAsync(cancellationToken);
        var proxies = await db.Proxies.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);
        var models = new Dictionary<long, AccountModel>(accounts.Count);
        foreach (var account in accounts)
        {
            try
            {
                var model = ToModel(account, proxies);
                models[model.Id] = model;
                health.Seed(account);
            }
            catch (Exception e) when (e is JsonException or System.Security.Cryptography.CryptographicException or FormatException)
            {
                // One unreadable account must not take the pool down; it is simply not schedulable.
                Log.AccountUnreadable(logger, account.Id, e.GetType().Name);
            }
        }
        return new PoolSnapshot(stamp, models.ToFrozenDictionary());
    }

    private AccountModel ToModel(Account account, Dictionary<long, Proxy> proxies)
    {
        var creds = credentials.Unprotect(account.CredentialsEncrypted);
        // The store keeps whichever copy is newer: this read may predate a refresh that finished meanwhile.
        credentialStore.Offer(account.Id, AccountCredentials.From(creds));
        var extra = string.IsNullOrWhiteSpace(account.Extra) ? [] : JsonNode.Parse(account.Extra)?.AsObject() ?? [];
        return new AccountModel
        {
            Id = account.Id,
            Name = account.Name,
            Platform = account.Platform,
            Type = account.Type,
            Concurrency = account.Concurrency,
            Priority = account.Priority,
            RateMultiplier = account.RateMultiplier,
            Status = account.Status,
            Schedulable = account.Schedulable,
            ExpiresAt = account.ExpiresAt,
            AutoPauseOnExpired = account.AutoPauseOnExpired,
            GroupIds = account.Groups.Select(g => g.GroupId).ToFrozenSet(),
            ApiKey = String(creds, "api_key"),
            BaseUrl = String(creds, "base_url")?.TrimEnd('/'),
            ModelMapping = Mapping(creds["model_mapping"]),
            CustomErrorCodesEnabled = Bool(creds, "custom_error_codes_enabled"),
            CustomErrorCodes = creds["custom_error_codes"] is JsonArray codes
                ? codes.Select(c => c is JsonValue v && v.TryGetValue<int>(out var code) ? code : 0).Where(c => c > 0).ToFrozenSet()
                : [],
            TempUnschedulableRules = Scheduling.TempUnschedulableRules.Parse(creds),
            UpstreamAccountId = String(creds, "chatgpt_account_id"),
            AccountUuid = String(extra, "account_uuid"),
            MixedScheduling = Bool(extra, "mixed_scheduling"),
            ProxyUrl = account.ProxyId is { } proxyId && proxies.TryGetValue(proxyId, out var proxy) ? ProxyUrls.Build(proxy, protector) : null,
        };
    }

    public void Dispose() => _rebuild.Dispose();

    private static string? String(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static bool Bool(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static FrozenDictionary<string, string> Mapping(JsonNode? node) => node is JsonObject o
        ? o.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
            .ToFrozenDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
        : FrozenDictionary<string, string>.Empty;

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Account {AccountId} cannot be loaded ({Error}); it is skipped")]
        public static partial void AccountUnreadable(ILogger logger, long accountId, string error);
    }
}

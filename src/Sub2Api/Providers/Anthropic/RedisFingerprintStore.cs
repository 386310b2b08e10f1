using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Per-account fingerprints shared by the cluster (key <c>fingerprint:{accountId}</c>), so every node presents
/// the same client id and headers for an OAuth account. Keeps <see cref="IFingerprintStore"/>'s synchronous
/// contract: a local copy answers almost every call; Redis is read when an account is first seen here and
/// re-checked every few minutes (GET, else SET NX of a new one — the first node wins, the others adopt it).
/// <para>
/// The rules are the in-memory store's: a new fingerprint is made by <see cref="MemoryFingerprintStore"/>
/// itself (first client's headers, SPEC §6.1 defaults, invalid user agents refused), and afterwards only the
/// user agent changes, to a strictly newer well-formed <see cref="ClaudeCliVersion"/>.
/// </para>
/// </summary>
internal sealed partial class RedisFingerprintStore(RedisConnection redis, TimeProvider time, ILogger<RedisFingerprintStore> logger)
    : IFingerprintStore
{
    internal static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KeyTtl = TimeSpan.FromDays(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IDatabase _db = redis.Database;
    private readonly ConcurrentDictionary<long, Entry> _local = new();

    public static string Key(long accountId) => $"fingerprint:{accountId}";

    public Fingerprint GetOrCreate(long accountId, IHeaderDictionary clientHeaders)
    {
        ArgumentNullException.ThrowIfNull(clientHeaders);
        var now = time.GetTimestamp();
        if (!_local.TryGetValue(accountId, out var entry) || time.GetElapsedTime(entry.CheckedAt) > entry.RecheckAfter)
        {
            entry = Synchronise(accountId, clientHeaders, entry?.Value, now);
            _local[accountId] = entry;
        }
        var current = entry.Value;
        if (!UpgradesUserAgent(current, clientHeaders, out var userAgent))
        {
            return current;
        }
        var upgraded = current with { UserAgent = userAgent };
        _local[accountId] = entry with { Value = upgraded };
        try
        {
            _db.StringSet(Key(accountId), Serialize(upgraded), KeyTtl); // rare (a newer CLI appeared); shared at once
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Failed(logger, accountId, e.Message);
        }
        return upgraded;
    }

    /// <summary>The cluster's fingerprint for the account: adopt the stored one, or store ours (the first writer wins).</summary>
    private Entry Synchronise(long accountId, IHeaderDictionary clientHeaders, Fingerprint? known, long now)
    {
        var key = Key(accountId);
        try
        {
            if (Deserialize(_db.StringGet(key)) is { } stored)
            {
                _db.KeyExpire(key, KeyTtl, flags: CommandFlags.FireAndForget);
                return new Entry(stored, now, RecheckAfter);
            }
            // Nothing (or garbage) stored: offer what this node uses, or a new one made by the single-node rules.
            var candidate = known ?? new MemoryFingerprintStore().GetOrCreate(accountId, clientHeaders);
            if (_db.StringSet(key, Serialize(candidate), KeyTtl, When.NotExists))
            {
                return new Entry(candidate, now, RecheckAfter);
            }
            if (Deserialize(_db.StringGet(key)) is { } winner)
            {
                return new Entry(winner, now, RecheckAfter); // another node stored one first
            }
            _db.StringSet(key, Serialize(candidate), KeyTtl); // an unreadable value: replace it
            return new Entry(candidate, now, RecheckAfter);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Failed(logger, accountId, e.Message);
            // Serve on without Redis; try again soon so the node converges on the shared identity.
            return new Entry(known ?? new MemoryFingerprintStore().GetOrCreate(accountId, clientHeaders), now, RetryAfterError);
        }
    }

    /// <summary>The in-memory store's upgrade rule: only a well-formed, strictly newer Claude CLI replaces the UA.</summary>
    private static bool UpgradesUserAgent(Fingerprint current, IHeaderDictionary headers, out string userAgent)
    {
        var values = headers[AnthropicHeaders.UserAgent];
        userAgent = values.Count > 0 ? values[0]?.Trim() ?? "" : "";
        return ClaudeCliVersion.TryParse(userAgent, out var offered)
            && (!ClaudeCliVersion.TryParse(current.UserAgent, out var stored) || offered > stored);
    }

    private static string Serialize(Fingerprint fingerprint) => JsonSerializer.Serialize(fingerprint, Json);

    private static Fingerprint? Deserialize(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }
        try
        {
            var fingerprint = JsonSerializer.Deserialize<Fingerprint>((string)value!, Json);
            return fingerprint is { ClientId.Length: 64, UserAgent.Length: > 0 } ? fingerprint : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Entry(Fingerprint Value, long CheckedAt, TimeSpan RecheckAfter);

    private static partial class Log
    {
        [LoggerMessage(720, LogLevel.Warning, "Redis: fingerprint of account {AccountId} not shared ({Error}); using the local one")]
        public static partial void Failed(ILogger logger, long accountId, string error);
    }
}

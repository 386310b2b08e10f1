using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Scheduling.Concurrency;

/// <summary>
/// Cluster-wide concurrency slots and wait counters (SPEC §4.7): one ZSET per slot scope (member = request id,
/// score = Redis <c>TIME</c>), one integer per queue, every decision in one Lua call. Key names are
/// <see cref="SlotScopes"/> under the deployment prefix.
/// <para>
/// Leaks: a slot not refreshed for <c>Gateway:ConcurrencySlotTtlMinutes</c> is purged by the next call that
/// touches its scope, and the ZSET itself expires. This node refreshes the slots it holds every third of the
/// TTL, so a live request keeps its slot however long it streams, while the slots of a node that died
/// (kill -9, power loss) run out within one TTL.
/// </para>
/// <para>Queue errors fail open (SPEC: "Redis errors → allow"); slot errors propagate (no slot is granted
/// without Redis agreeing); a failed release is logged and left to the TTL.</para>
/// </summary>
internal sealed partial class RedisConcurrencySlots : IConcurrencySlots, IAsyncDisposable
{
    private static readonly TimeSpan MinTtl = TimeSpan.FromMilliseconds(500);
    /// <summary>Refreshing stops after this long, so even a slot leaked by a bug in a live node is bounded.</summary>
    private static readonly TimeSpan MaxRefreshedHold = TimeSpan.FromHours(6);

    private readonly IDatabase _db;
    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConcurrencySlots> _logger;
    private readonly ConcurrentDictionary<(string Scope, string RequestId), long> _held = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refresher;

    public RedisConcurrencySlots(RedisConnection redis, IOptionsMonitor<GatewayOptions> options, TimeProvider time,
        ILogger<RedisConcurrencySlots> logger)
    {
        _db = redis.Database;
        _options = options;
        _time = time;
        _logger = logger;
        _refresher = Task.Run(RefreshLoopAsync);
    }

    /// <summary>The slot TTL in milliseconds (at least half a second).</summary>
    internal long TtlMs
    {
        get
        {
            var ttl = TimeSpan.FromMinutes(_options.CurrentValue.ConcurrencySlotTtlMinutes);
            return (long)(ttl < MinTtl ? MinTtl : ttl).TotalMilliseconds;
        }
    }

    /// <summary>Slots this node holds right now (and keeps refreshing).</summary>
    internal int HeldLocally => _held.Count;

    public async ValueTask<bool> TryAcquireAsync(string scope, string requestId, int max, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var granted = (long)await _db.ScriptEvaluateAsync(RedisScripts.Acquire, [scope], [requestId, max, TtlMs]) == 1;
        if (granted)
        {
            _held.TryAdd((scope, requestId), _time.GetTimestamp());
        }
        return granted;
    }

    public async ValueTask ReleaseAsync(string scope, string requestId)
    {
        _held.TryRemove((scope, requestId), out _);
        try
        {
            await _db.SortedSetRemoveAsync(scope, requestId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.ReleaseFailed(_logger, scope, e.Message); // the slot runs out with its TTL
        }
    }

    public async ValueTask<int> CountAsync(string scope) =>
        (int)(long)await _db.ScriptEvaluateAsync(RedisScripts.Count, [scope], [TtlMs]);

    public async ValueTask<bool> TryEnterQueueAsync(string queue, int max)
    {
        try
        {
            return (long)await _db.ScriptEvaluateAsync(RedisScripts.EnterQueue, [queue], [max, TtlMs]) == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.QueueFailed(_logger, queue, e.Message);
            return true;
        }
    }

    public async ValueTask LeaveQueueAsync(string queue)
    {
        try
        {
            await _db.ScriptEvaluateAsync(RedisScripts.LeaveQueue, [queue]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.QueueFailed(_logger, queue, e.Message);
        }
    }

    public async ValueTask<int> QueueLengthAsync(string queue)
    {
        try
        {
            var value = await _db.StringGetAsync(queue);
            return !value.IsNull && value.TryParse(out long n) ? (int)Math.Max(0, n) : 0;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.QueueFailed(_logger, queue, e.Message);
            return 0;
        }
    }

    public async ValueTask<IReadOnlyDictionary<long, AccountLoad>> GetAccountLoadsAsync(IReadOnlyList<(long AccountId, int MaxConcurrency)> accounts)
    {
        var loads = new Dictionary<long, AccountLoad>(accounts.Count);
        if (accounts.Count == 0)
        {
            return loads;
        }
        var keys = new RedisKey[accounts.Count * 2];
        for (var i = 0; i < accounts.Count; i++)
        {
            keys[2 * i] = SlotScopes.Account(accounts[i].AccountId);
            keys[(2 * i) + 1] = SlotScopes.AccountQueue(accounts[i].AccountId);
        }
        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(RedisScripts.Loads, keys, [TtlMs]))!;
        for (var i = 0; i < accounts.Count; i++)
        {
            var (id, max) = accounts[i];
            var inUse = (int)(long)result[2 * i];
            var waiting = (int)(long)result[(2 * i) + 1];
            loads[id] = new AccountLoad(id, inUse, waiting, max <= 0 ? 0 : (inUse + waiting) * 100 / max);
        }
        return loads;
    }

    /// <summary>Moves the score of every slot this node holds to "now", in one script call per round.</summary>
    internal async Task RefreshHeldAsync()
    {
        var held = _held.ToArray();
        if (held.Length == 0)
        {
            return;
        }
        var keys = new List<RedisKey>(held.Length);
        var args = new List<RedisValue>(held.Length + 1) { TtlMs };
        foreach (var ((scope, requestId), since) in held)
        {
            if (_time.GetElapsedTime(since) > MaxRefreshedHold)
            {
                _held.TryRemove((scope, requestId), out _);
                Log.GaveUpRefreshing(_logger, scope, requestId);
                continue;
            }
            keys.Add(scope);
            args.Add(requestId);
        }
        if (keys.Count > 0)
        {
            await _db.ScriptEvaluateAsync(RedisScripts.Refresh, [.. keys], [.. args]);
        }
    }

    private async Task RefreshLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(100, TtlMs / 3)), _time, _stopping.Token);
                await RefreshHeldAsync();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.RefreshFailed(_logger, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refresher;
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Warning, "Redis: releasing slot {Scope} failed ({Error}); it expires with its TTL")]
        public static partial void ReleaseFailed(ILogger logger, string scope, string error);

        [LoggerMessage(701, LogLevel.Warning, "Redis: wait queue {Queue} unavailable ({Error}); allowing the request")]
        public static partial void QueueFailed(ILogger logger, string queue, string error);

        [LoggerMessage(702, LogLevel.Warning, "Redis: refreshing held slots failed ({Error})")]
        public static partial void RefreshFailed(ILogger logger, string error);

        [LoggerMessage(703, LogLevel.Warning, "Slot {Scope}/{RequestId} held for hours; no longer refreshed (it will expire with its TTL)")]
        public static partial void GaveUpRefreshing(ILogger logger, string scope, string requestId);
    }
}

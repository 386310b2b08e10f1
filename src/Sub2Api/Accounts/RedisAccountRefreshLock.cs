using StackExchange.Redis;
using ClusterNode = Sub2Api.Infrastructure.Cluster.ClusterNode;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Accounts;

/// <summary>
/// The account lock across the cluster: key <c>lock:token-refresh:{accountId}</c>, taken with <c>SET NX PX</c> and a
/// value unique to this holder; renewed (owner-checked) every third of its TTL while held, so a refresh that
/// retries with backoff never outlives it; released only by its owner (Lua compare-and-delete). A holder that
/// dies stops renewing and the key runs out after <see cref="Ttl"/>. Callers on this node first queue on the
/// in-process lock, so only one of them polls Redis. If Redis cannot be reached, the in-process lock alone is used
/// (refreshes keep working; two nodes might then both refresh, which beats none refreshing).
/// </summary>
internal sealed partial class RedisAccountRefreshLock(RedisConnection redis, ClusterNode node, TimeProvider time,
    ILogger<RedisAccountRefreshLock> logger) : IAccountRefreshLock
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(200);
    private readonly LocalAccountRefreshLock _local = new();

    public static string Key(long accountId) => $"lock:token-refresh:{accountId}";

    public async Task<IAsyncDisposable?> AcquireAsync(long accountId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var local = await _local.AcquireAsync(accountId, wait, cancellationToken);
        if (local is null)
        {
            return null;
        }
        var key = Key(accountId);
        var owner = $"{node.Id}:{Guid.NewGuid():N}";
        var delay = TimeSpan.FromMilliseconds(20);
        try
        {
            while (true)
            {
                bool taken;
                try
                {
                    taken = await redis.Database.StringSetAsync(key, owner, Ttl, When.NotExists);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    Log.Unavailable(logger, accountId, e.GetType().Name);
                    return local;
                }
                if (taken)
                {
                    return new Held(redis.Database, key, owner, local, logger);
                }
                var left = wait - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    await local.DisposeAsync();
                    return null;
                }
                await Task.Delay(delay < left ? delay : left, time, cancellationToken);
                delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
            }
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    /// <summary>A held Redis lock: renews itself until disposed, then deletes the key if still its own.</summary>
    private sealed class Held : IAsyncDisposable
    {
        private readonly IDatabase _db;
        private readonly string _key;
        private readonly string _owner;
        private readonly IAsyncDisposable _local;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private int _disposed;

        public Held(IDatabase db, string key, string owner, IAsyncDisposable local, ILogger logger)
        {
            _db = db;
            _key = key;
            _owner = owner;
            _local = local;
            _logger = logger;
            _renewing = RenewAsync();
        }

        private async Task RenewAsync()
        {
            using var timer = new PeriodicTimer(Ttl / 3);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        if ((long)await _db.ScriptEvaluateAsync(RedisScripts.RenewLease, [_key], [_owner, (long)Ttl.TotalMilliseconds]) == 0)
                        {
                            Log.Lost(_logger, _key);
                            return;
                        }
                    }
                    catch (Exception e) when (e is RedisException or TimeoutException)
                    {
                        Log.Unavailable(_logger, -1, e.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Released.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            await _stop.CancelAsync();
            await _renewing;
            _stop.Dispose();
            try
            {
                await _db.ScriptEvaluateAsync(RedisScripts.ReleaseLease, [_key], [_owner]);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The key runs out by itself within its TTL.
                Log.Unavailable(_logger, -1, e.GetType().Name);
            }
            await _local.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1205, LogLevel.Warning, "Redis unavailable for the credential lock (account {AccountId}, {Error}); using the in-process lock only")]
        public static partial void Unavailable(ILogger logger, long accountId, string error);

        [LoggerMessage(1206, LogLevel.Warning, "Credential lock {Key} was lost while held (expired); a refresh ran longer than the lock")]
        public static partial void Lost(ILogger logger, string key);
    }
}

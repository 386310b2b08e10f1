using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Sub2Api.Infrastructure.Redis;

/// <summary>
/// A fixed-window limiter whose counter lives in Redis (INCR + PEXPIRE on the first hit of a window, key
/// <c>ratelimit:{policy}:{partition}</c>), so the limit holds for the cluster, not per node. Used by the auth
/// routes' per-IP limits in multi-node mode. Only <see cref="AcquireAsyncCore"/> counts: the synchronous
/// attempt reports "not acquired" without counting, which makes the ASP.NET middleware take the async path.
/// A Redis error lets the request through (the limiter is abuse protection, not a correctness guard).
/// </summary>
internal sealed partial class RedisFixedWindowRateLimiter(IDatabase db, string key, int permitLimit, TimeSpan window, TimeProvider time,
    ILogger logger) : RateLimiter
{
    private long _lastUsed = time.GetTimestamp();

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
        if (permitCount == 0)
        {
            return Lease.Granted;
        }
        try
        {
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.FixedWindow, [key], [(long)window.TotalMilliseconds]))!;
            var count = (long)result[0];
            return count <= permitLimit ? Lease.Granted : Lease.Rejected(TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Failed(logger, key, e.Message);
            return Lease.Granted;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease Deferred = new(false, null);

        public static Lease Rejected(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }
            metadata = null;
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(740, LogLevel.Warning, "Redis: rate limit counter {Key} unavailable ({Error}); allowing the request")]
        public static partial void Failed(ILogger logger, string key, string error);
    }
}

/// <summary>Makes the Redis limiter of one partition (resolved per request from the app's services).</summary>
internal sealed class RedisRateLimiterFactory(RedisConnection redis, TimeProvider time, ILogger<RedisFixedWindowRateLimiter> logger)
{
    public RateLimiter Create(string policy, string partition, int permitLimit, TimeSpan window) =>
        new RedisFixedWindowRateLimiter(redis.Database, $"ratelimit:{policy}:{partition}", permitLimit, window, time, logger);
}

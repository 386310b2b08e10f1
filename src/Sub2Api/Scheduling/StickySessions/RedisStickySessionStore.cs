using StackExchange.Redis;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Scheduling.StickySessions;

/// <summary>
/// Sticky bindings in Redis (SPEC §4.2, keys <see cref="StickyKeys.For"/> under the deployment prefix):
/// GET / SET EX / EXPIRE / DEL, so a conversation bound on one node is routed the same way by every node.
/// A Redis error costs stickiness, never the request (read → no binding; writes are dropped).
/// </summary>
internal sealed partial class RedisStickySessionStore(RedisConnection redis, ILogger<RedisStickySessionStore> logger) : IStickySessionStore
{
    private readonly IDatabase _db = redis.Database;

    public async ValueTask<long?> GetAsync(string key)
    {
        try
        {
            var value = await _db.StringGetAsync(key);
            return !value.IsNull && value.TryParse(out long accountId) ? accountId : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Failed(logger, "GET", e.Message);
            return null;
        }
    }

    public ValueTask SetAsync(string key, long accountId, TimeSpan ttl) =>
        RunAsync("SET", () => _db.StringSetAsync(key, accountId, ttl));

    public ValueTask RefreshAsync(string key, TimeSpan ttl) => RunAsync("EXPIRE", () => _db.KeyExpireAsync(key, ttl));

    public ValueTask DeleteAsync(string key) => RunAsync("DEL", () => _db.KeyDeleteAsync(key));

    private async ValueTask RunAsync(string command, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Failed(logger, command, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(710, LogLevel.Warning, "Redis: sticky session {Command} failed ({Error})")]
        public static partial void Failed(ILogger logger, string command, string error);
    }
}

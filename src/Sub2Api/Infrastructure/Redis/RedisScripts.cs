namespace Sub2Api.Infrastructure.Redis;

/// <summary>
/// The Lua scripts of the Redis ports (SPEC §4.7). Each runs atomically on the server; times come from Redis
/// <c>TIME</c> (never a node's clock), as seconds with a microsecond fraction. TTLs are passed in milliseconds.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Current Redis time in seconds; shared head of the slot scripts.</summary>
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
        """;

    /// <summary>
    /// KEYS[1] slot ZSET; ARGV: request id, max (&lt;= 0 = unlimited), ttl ms. Purges members older than the TTL,
    /// then: already a member → refresh (idempotent, counts once); room left → add; else 0. The key's expiry is
    /// refreshed on every grant, so an abandoned ZSET disappears by itself.
    /// </summary>
    public const string Acquire = Now + """

        local ttl = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl / 1000)
        local max = tonumber(ARGV[2])
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) or max <= 0 or redis.call('ZCARD', KEYS[1]) < max then
          redis.call('ZADD', KEYS[1], now, ARGV[1])
          redis.call('PEXPIRE', KEYS[1], ttl)
          return 1
        end
        return 0
        """;

    /// <summary>KEYS[1] slot ZSET; ARGV[1] ttl ms. Purges expired members and returns how many are left.</summary>
    public const string Count = Now + """

        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]) / 1000)
        return redis.call('ZCARD', KEYS[1])
        """;

    /// <summary>
    /// KEYS: slot ZSETs; ARGV[1] ttl ms, ARGV[2..] the request id held in the matching key. Moves each held
    /// member's score to now (only if it is still there: a slot that already expired is not resurrected).
    /// </summary>
    public const string Refresh = Now + """

        local refreshed = 0
        for i = 1, #KEYS do
          if redis.call('ZSCORE', KEYS[i], ARGV[i + 1]) then
            redis.call('ZADD', KEYS[i], 'XX', now, ARGV[i + 1])
            redis.call('PEXPIRE', KEYS[i], ARGV[1])
            refreshed = refreshed + 1
          end
        end
        return refreshed
        """;

    /// <summary>KEYS[1] wait counter; ARGV: max, ttl ms. At max → 0; else INCR, refresh the expiry, 1.</summary>
    public const string EnterQueue = """
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        if n >= tonumber(ARGV[1]) then
          return 0
        end
        redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS[1] wait counter. Decrements, never below zero (a counter that expired stays absent).</summary>
    public const string LeaveQueue = """
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        if n > 1 then
          return redis.call('DECR', KEYS[1])
        end
        if n == 1 then
          redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>
    /// KEYS: pairs (slot ZSET, wait counter) per candidate; ARGV[1] ttl ms. Returns {inUse, waiting} per pair,
    /// expired slots purged first: the whole scheduler load view in one round trip.
    /// </summary>
    public const string Loads = Now + """

        local cutoff = now - tonumber(ARGV[1]) / 1000
        local out = {}
        for i = 1, #KEYS, 2 do
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', cutoff)
          out[#out + 1] = redis.call('ZCARD', KEYS[i])
          local waiting = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
          if waiting < 0 then waiting = 0 end
          out[#out + 1] = waiting
        end
        return out
        """;

    /// <summary>KEYS[1] lease; ARGV: owner, ttl ms. Extends the lease only when this owner holds it.</summary>
    public const string RenewLease = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>KEYS[1] lease; ARGV[1] owner. Deletes the lease only when this owner holds it.</summary>
    public const string ReleaseLease = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>KEYS[1] window counter; ARGV[1] window ms. INCR, and start the window on the first hit.</summary>
    public const string FixedWindow = """
        local n = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if n == 1 or ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {n, ttl}
        """;
}

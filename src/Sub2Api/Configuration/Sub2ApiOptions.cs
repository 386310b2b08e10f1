namespace Sub2Api.Configuration;

// Options per concern, bound from appsettings.json / environment variables (`Gateway__MaxAccountSwitches=5`).
// Defaults are the original's (SPEC §7.2) and live here in code.

/// <summary>Section "Database".</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";
    /// <summary><c>sqlite</c> (default, file <c>sub2api.db</c> in DATA_DIR) or <c>postgres</c> (ConnectionStrings:Postgres).</summary>
    public string Provider { get; set; } = "sqlite";
    /// <summary>How long start-up keeps retrying while the database is unreachable.</summary>
    public int StartupRetrySeconds { get; set; } = 60;
}

/// <summary>Section "Jwt".</summary>
internal sealed class JwtOptions
{
    public const string Section = "Jwt";
    public int AccessTokenExpireMinutes { get; set; } = 360;
    public int RefreshTokenExpireDays { get; set; } = 30;
}

/// <summary>Section "Auth": abuse limits on the public auth routes.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";
    /// <summary>Login/register attempts per client IP per minute.</summary>
    public int LoginPermitsPerMinute { get; set; } = 20;
    /// <summary>Refresh attempts per client IP per minute (the original's 30/min).</summary>
    public int RefreshPermitsPerMinute { get; set; } = 30;
}

/// <summary>Section "Default": what new users and keys start with.</summary>
internal sealed class DefaultOptions
{
    public const string Section = "Default";
    public int UserConcurrency { get; set; } = 5;
    public decimal UserBalance { get; set; }
    public decimal RateMultiplier { get; set; } = 1m;
}

/// <summary>Section "Gateway" (the relay). Later issues read most of these.</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";
    public int MaxAccountSwitches { get; set; } = 10;
    public int MaxAccountSwitchesGemini { get; set; } = 3;
    public long MaxBodySize { get; set; } = 104_857_600;
    public bool InjectBetaForApiKey { get; set; }
    public bool FailoverOn400 { get; set; }
    /// <summary>
    /// How long a concurrency slot lives without being refreshed (SPEC §4.7: bounds slots leaked by a crashed node).
    /// Fractional values are allowed (tests use a few seconds). With Redis, a live node keeps refreshing the slots it
    /// holds, so a long stream never loses its slot; only a dead node's slots run out.
    /// </summary>
    public double ConcurrencySlotTtlMinutes { get; set; } = 30;
    /// <summary>Seconds without upstream bytes before a stream is cut; 0 = off.</summary>
    public int StreamDataIntervalTimeout { get; set; } = 180;
    public int ResponseHeaderTimeout { get; set; } = 600;
    public SchedulingOptions Scheduling { get; set; } = new();
    public AnthropicUpstreamOptions Anthropic { get; set; } = new();
}

internal sealed class SchedulingOptions
{
    public int StickySessionMaxWaiting { get; set; } = 3;
    public int StickySessionWaitTimeout { get; set; } = 120;
    public int FallbackWaitTimeout { get; set; } = 30;
    public int FallbackMaxWaiting { get; set; } = 100;
    public string FallbackSelectionMode { get; set; } = "last_used";
    public bool LoadBatchEnabled { get; set; } = true;
    public int SlotCleanupInterval { get; set; } = 30;
}

internal sealed class AnthropicUpstreamOptions
{
    public string BaseUrl { get; set; } = "https://api.anthropic.com";
}

/// <summary>Section "RateLimit": how long a marked account stays benched.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimit";
    public int OverloadCooldownMinutes { get; set; } = 10;
}

/// <summary>
/// Section "Redis": multi-node mode. Empty <see cref="ConnectionString"/> (the default) keeps every piece of
/// cross-request state in this process; set it (<c>Redis__ConnectionString=redis:6379</c>) on every node of a cluster.
/// </summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>. Empty = in-memory mode.</summary>
    public string ConnectionString { get; set; } = "";
    /// <summary>Prepended to every key and to the pub/sub channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "sub2api:";
    /// <summary>How long start-up waits for Redis before giving up (the node does not serve until it is there).</summary>
    public int StartupRetrySeconds { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);

    public static RedisOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<RedisOptions>() ?? new RedisOptions();
}

/// <summary>Section "Cluster": background jobs that run once per cluster under a lease.</summary>
internal sealed class ClusterOptions
{
    public const string Section = "Cluster";
    /// <summary>How often the expiry sweeper runs (API keys, accounts, subscriptions past expires_at).</summary>
    public double ExpirySweepIntervalSeconds { get; set; } = 60;
    /// <summary>
    /// Lifetime of a job lease; the holder renews it on every run. When the holder dies, another node takes the job
    /// over after at most this long. Must exceed the job interval (otherwise twice the interval is used).
    /// </summary>
    public double JobLeaseSeconds { get; set; } = 150;
}

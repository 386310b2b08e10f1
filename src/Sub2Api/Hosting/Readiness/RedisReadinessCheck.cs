using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Hosting.Readiness;

/// <summary>Redis answers a PING (registered only in multi-node mode, when Redis is configured).</summary>
internal sealed class RedisReadinessCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var latency = await redis.Database.PingAsync();
        return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Infrastructure.Redis;

namespace Microsoft.Extensions.DependencyInjection;

internal static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Multi-node mode when <c>Redis:ConnectionString</c> is set: the connection (whose presence makes every feature's
    /// <c>AddStateStore</c> pick the Redis version of its state port), the cluster bus, the shared login limiter, and
    /// Redis-backed job leases. Call before the features. Without Redis only the node identity and an always-granted
    /// lease are registered.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RedisOptions.From(configuration);
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        services.TryAddSingleton<ClusterNode>();
        if (!options.Enabled)
        {
            services.TryAddSingleton(sp => new ClusterLease(sp.GetRequiredService<ClusterNode>().Id));
            return services;
        }
        services.AddSingleton(sp => new RedisConnection(options, sp.GetRequiredService<ClusterNode>()));
        services.Replace(ServiceDescriptor.Singleton(sp =>
            new ClusterLease(sp.GetRequiredService<RedisConnection>().Database, sp.GetRequiredService<ClusterNode>().Id)));
        services.AddSingleton<RedisRateLimiterFactory>();
        services.AddSingleton<RedisClusterBus>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisClusterBus>());
        return services;
    }

    /// <summary>Background jobs that run once per cluster under a <see cref="ClusterLease"/>.</summary>
    public static IServiceCollection AddClusterJobs(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section);
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpirySweeper>());
        return services;
    }
}

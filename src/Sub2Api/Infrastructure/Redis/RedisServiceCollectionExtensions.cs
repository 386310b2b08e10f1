using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Infrastructure.Redis;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Scheduling.StickySessions;

namespace Microsoft.Extensions.DependencyInjection;

internal static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Multi-node mode when <c>Redis:ConnectionString</c> is set: the Redis versions of the cross-request state
    /// ports (slots and wait counters, sticky sessions, fingerprints), the cluster bus, the shared login limiter,
    /// and Redis-backed job leases. Call before <c>AddRelay</c> (whose in-memory defaults are TryAdd). Without
    /// Redis only the node identity and an always-granted lease are registered.
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
        services.Replace(ServiceDescriptor.Singleton<IConcurrencySlots, RedisConcurrencySlots>());
        services.Replace(ServiceDescriptor.Singleton<IStickySessionStore, RedisStickySessionStore>());
        services.Replace(ServiceDescriptor.Singleton<IFingerprintStore, RedisFingerprintStore>());
        services.Replace(ServiceDescriptor.Singleton<Sub2Api.Providers.Anthropic.OAuth.IClaudeOAuthSessionStore, RedisClaudeOAuthSessionStore>());
        services.Replace(ServiceDescriptor.Singleton<Sub2Api.Providers.OpenAI.OAuth.IOpenAIOAuthSessionStore, Sub2Api.Providers.OpenAI.OAuth.RedisOpenAIOAuthSessionStore>());
        services.Replace(ServiceDescriptor.Singleton<Sub2Api.Accounts.IAccountRefreshLock, RedisAccountRefreshLock>());
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

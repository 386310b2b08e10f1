using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Infrastructure.Redis;

namespace Microsoft.Extensions.DependencyInjection;

internal static class StateStoreServiceCollectionExtensions
{
    /// <summary>
    /// A state port that must be shared by every node in multi-node mode: its Redis implementation when
    /// <c>AddRedis</c> found a connection string (it registers <see cref="RedisConnection"/>), else its in-memory one.
    /// TryAdd: a test (or an earlier registration) that already put an implementation keeps it. Each feature calls this
    /// for its own ports, so the Redis implementations sit beside their ports and this folder imports no feature.
    /// </summary>
    public static IServiceCollection AddStateStore<TService, TMemory, TRedis>(this IServiceCollection services)
        where TService : class
        where TMemory : class, TService
        where TRedis : class, TService
    {
        if (services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            services.TryAddSingleton<TService, TRedis>();
        }
        else
        {
            services.TryAddSingleton<TService, TMemory>();
        }
        return services;
    }
}

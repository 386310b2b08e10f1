using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Auth;
using Sub2Api.Billing;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Relay;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Scheduling.StickySessions;

namespace Microsoft.Extensions.DependencyInjection;

internal static class RelayServiceCollectionExtensions
{
    /// <summary>The provider-neutral relay and its collaborators (providers add themselves with their own <c>Add…()</c>).
    /// Hot-path services are singletons; state ports are in memory, or in Redis in multi-node mode.</summary>
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        // Scheduling state (in-memory by default)
        services.AddStateStore<IConcurrencySlots, MemoryConcurrencySlots, RedisConcurrencySlots>();
        services.AddStateStore<IStickySessionStore, MemoryStickySessionStore, RedisStickySessionStore>();
        services.AddSingleton<SlotWaiter>();
        services.AddSingleton<AccountHealth>();
        services.AddSingleton<AccountPool>();
        services.AddSingleton<AccountScheduler>();
        services.AddSingleton<AccountSlotAcquirer>();

        // Billing: prices, the balance view, and the journaled usage recorder + its writer
        services.AddPricing();
        services.AddSingleton<BalanceView>();
        services.AddSingleton(sp => Sub2Api.Subscriptions.SubscriptionClock.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Sub2Api.Subscriptions.SubscriptionUsageView>();
        services.AddSingleton<UsageJournal>();
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService<UsageWriterService>();

        // The relay pipeline
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<UpstreamHttpClients>();
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<RelayRouteDialects>();
        services.AddSingleton<RequestReader>();
        services.AddSingleton<UserAdmission>();
        services.AddSingleton<UpstreamForwarder>();
        services.AddSingleton<ResponseRelay>();
        services.AddSingleton<RelayUsage>();
        services.AddSingleton<ErrorPassthroughPolicy>();
        services.AddSingleton<RelayPipeline>();
        return services;
    }
}

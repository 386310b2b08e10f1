using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

internal static class AnthropicServiceCollectionExtensions
{
    /// <summary>
    /// The Anthropic provider: Claude accounts behind <c>/v1/messages</c> and count_tokens, their health rules, the
    /// per-account fingerprint store (in memory unless <c>AddRedis</c> already put the shared one), and Claude OAuth.
    /// </summary>
    public static IServiceCollection AddAnthropic(this IServiceCollection services)
    {
        services.TryAddSingleton<IFingerprintStore, MemoryFingerprintStore>();
        services.AddSingleton<AnthropicUpstream>();
        services.AddSingleton<IRelayProvider, AnthropicProvider>();
        services.AddSingleton<IAccountHealthRules, AnthropicHealthRules>();
        services.AddSingleton<IGatewayRoutes, AnthropicRoutes>();
        services.AddSingleton<AnthropicCountTokensRelay>();
        services.AddClaudeOAuth();
        return services;
    }
}

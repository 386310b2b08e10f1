using Sub2Api.Providers.Anthropic;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

internal static class AnthropicServiceCollectionExtensions
{
    /// <summary>
    /// The Anthropic provider: Claude accounts behind <c>/v1/messages</c> and count_tokens, their health rules, the
    /// per-account fingerprint store (shared through Redis in multi-node mode), and Claude OAuth.
    /// </summary>
    public static IServiceCollection AddAnthropic(this IServiceCollection services)
    {
        services.AddStateStore<IFingerprintStore, MemoryFingerprintStore, RedisFingerprintStore>();
        services.AddSingleton<AnthropicUpstream>();
        services.AddSingleton<IRelayProvider, AnthropicProvider>();
        services.AddSingleton<IAccountHealthRules, AnthropicHealthRules>();
        services.AddSingleton<IGatewayRoutes, AnthropicRoutes>();
        services.AddSingleton<AnthropicCountTokensRelay>();
        services.AddClaudeOAuth();
        return services;
    }
}

using Sub2Api.Providers.OpenAI;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

internal static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// The OpenAI provider: API-key and ChatGPT (Codex) OAuth accounts behind <c>/v1/responses</c> and
    /// <c>/v1/chat/completions</c> (options <c>Gateway:OpenAI</c>), their health rules, and ChatGPT OAuth.
    /// </summary>
    public static IServiceCollection AddOpenAI(this IServiceCollection services)
    {
        services.AddOptions<OpenAIUpstreamOptions>().BindConfiguration(OpenAIUpstreamOptions.Section);
        services.AddSingleton<OpenAIUpstream>();
        services.AddSingleton<IRelayProvider, OpenAIProvider>();
        services.AddSingleton<IAccountHealthRules, OpenAIHealthRules>();
        services.AddSingleton<IGatewayRoutes, OpenAIRoutes>();
        services.AddOpenAIOAuth();
        return services;
    }
}

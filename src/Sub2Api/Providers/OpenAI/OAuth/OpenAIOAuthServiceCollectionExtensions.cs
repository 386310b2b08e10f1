using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Accounts;
using Sub2Api.Providers.OpenAI.OAuth;

namespace Microsoft.Extensions.DependencyInjection;

internal static class OpenAIOAuthServiceCollectionExtensions
{
    /// <summary>
    /// ChatGPT (Codex) OAuth: options (section <c>OAuth:OpenAI</c>), the token-endpoint client, the onboarding flows,
    /// the token refresher the refresh job and the request path use, and the login-session store (shared through
    /// Redis in multi-node mode).
    /// </summary>
    public static IServiceCollection AddOpenAIOAuth(this IServiceCollection services)
    {
        services.AddOptions<OpenAIOAuthOptions>().BindConfiguration(OpenAIOAuthOptions.Section);
        services.TryAddSingleton<Sub2Api.Infrastructure.Http.UpstreamHttpClients>();
        services.AddStateStore<IOpenAIOAuthSessionStore, MemoryOpenAIOAuthSessionStore, RedisOpenAIOAuthSessionStore>();
        services.AddSingleton<OpenAIOAuthClient>();
        services.AddSingleton<OpenAIOAuthFlows>();
        services.AddSingleton<ITokenRefresher, OpenAITokenRefresher>();
        return services;
    }
}

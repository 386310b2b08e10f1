using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Providers.Anthropic.OAuth;

namespace Microsoft.Extensions.DependencyInjection;

internal static class ClaudeOAuthServiceCollectionExtensions
{
    /// <summary>
    /// Claude OAuth: options (section <c>OAuth:Claude</c>), the HTTP client (also used by token refresh), the
    /// onboarding flows, and the flow-session store (shared through Redis in multi-node mode).
    /// </summary>
    public static IServiceCollection AddClaudeOAuth(this IServiceCollection services)
    {
        services.AddOptions<ClaudeOAuthOptions>().BindConfiguration(ClaudeOAuthOptions.Section);
        services.TryAddSingleton<Sub2Api.Infrastructure.Http.UpstreamHttpClients>();
        services.AddStateStore<IClaudeOAuthSessionStore, MemoryClaudeOAuthSessionStore, RedisClaudeOAuthSessionStore>();
        services.AddSingleton<ClaudeOAuthClient>();
        services.AddSingleton<ClaudeOAuthFlows>();
        return services;
    }
}

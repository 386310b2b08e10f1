using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Providers.Anthropic.OAuth;

namespace Microsoft.Extensions.DependencyInjection;

internal static class ClaudeOAuthServiceCollectionExtensions
{
    /// <summary>
    /// Claude OAuth: options (section <c>OAuth:Claude</c>), the HTTP client (also used by token refresh), the
    /// onboarding flows, and the in-memory flow-session store unless <c>AddRedis</c> already put the shared one.
    /// </summary>
    public static IServiceCollection AddClaudeOAuth(this IServiceCollection services)
    {
        services.AddOptions<ClaudeOAuthOptions>().BindConfiguration(ClaudeOAuthOptions.Section);
        services.TryAddSingleton<Sub2Api.Infrastructure.Http.UpstreamHttpClients>();
        services.TryAddSingleton<IClaudeOAuthSessionStore, MemoryClaudeOAuthSessionStore>();
        services.AddSingleton<ClaudeOAuthClient>();
        services.AddSingleton<ClaudeOAuthFlows>();
        return services;
    }
}

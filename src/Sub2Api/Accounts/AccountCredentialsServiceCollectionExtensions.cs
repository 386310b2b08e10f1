using Microsoft.Extensions.DependencyInjection.Extensions;
using Sub2Api.Accounts;
using Sub2Api.Providers.Anthropic.OAuth;

namespace Microsoft.Extensions.DependencyInjection;

internal static class AccountCredentialsServiceCollectionExtensions
{
    /// <summary>
    /// The credential store, the per-account refresh lock (in-process, or across nodes through Redis in multi-node
    /// mode), token refresh with its providers, and the background refresh job.
    /// </summary>
    public static IServiceCollection AddAccountCredentials(this IServiceCollection services)
    {
        services.AddOptions<TokenRefreshOptions>().BindConfiguration(TokenRefreshOptions.Section);
        services.AddSingleton<AccountCredentialStore>();
        services.AddStateStore<IAccountRefreshLock, LocalAccountRefreshLock, RedisAccountRefreshLock>();
        services.AddSingleton<ITokenRefresher, ClaudeTokenRefresher>();
        services.AddSingleton<TokenRefreshService>();
        services.AddSingleton<TokenRefreshJob>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenRefreshJob>());
        return services;
    }
}

namespace Sub2Api.Admin.Usage.Cleanup;

internal static class UsageCleanupServiceCollectionExtensions
{
    /// <summary>The usage cleanup executor: a once-per-cluster job (section "UsageCleanup").</summary>
    public static IServiceCollection AddUsageCleanup(this IServiceCollection services)
    {
        services.AddOptions<UsageCleanupOptions>().BindConfiguration(UsageCleanupOptions.Section);
        services.AddSingleton<UsageCleanupExecutor>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageCleanupExecutor>());
        return services;
    }
}

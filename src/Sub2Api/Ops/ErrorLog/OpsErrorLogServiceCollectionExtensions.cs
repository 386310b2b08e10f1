using Sub2Api.Ops.ErrorLog;

namespace Microsoft.Extensions.DependencyInjection;

internal static class OpsErrorLogServiceCollectionExtensions
{
    /// <summary>
    /// The ops error log's storage: the writer that drains the relay's <c>OpsErrorRecorder</c>, the retention job
    /// (once per cluster, under a lease) and the body-capture switch kept in step with its setting.
    /// </summary>
    public static IServiceCollection AddOpsErrorLog(this IServiceCollection services)
    {
        services.AddOptions<OpsErrorLogOptions>().BindConfiguration(OpsErrorLogOptions.Section);
        services.AddSingleton<OpsErrorWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<OpsErrorWriter>());
        services.AddSingleton<OpsErrorRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<OpsErrorRetention>());
        services.AddHostedService<OpsBodyCaptureSync>();
        return services;
    }
}

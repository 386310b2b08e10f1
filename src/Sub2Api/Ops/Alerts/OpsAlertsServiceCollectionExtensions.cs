using Sub2Api.Ops.Alerts;

namespace Microsoft.Extensions.DependencyInjection;

internal static class OpsAlertsServiceCollectionExtensions
{
    /// <summary>Alerting: the rule evaluator (one node of the cluster at a time), the metric source and the notifier.</summary>
    public static IServiceCollection AddOpsAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(AlertOptions.From(configuration));
        services.AddSingleton<AlertMetricSource>();
        services.AddSingleton<AlertNotificationSettings>();
        services.AddSingleton<AlertNotifier>();
        services.AddHttpClient(AlertNotifier.HttpClientName, client =>
        {
            // Each attempt has its own 5 s budget (see AlertNotifier); this only bounds the attempts together.
            client.Timeout = AlertNotifier.WebhookTimeout * 3;
            client.MaxResponseContentBufferSize = 1024 * 1024;
        })
            // The factory's request logs print the URL, and chat webhooks (Slack, Lark, Discord) carry their token in it.
            .RemoveAllLoggers();
        services.AddSingleton<AlertEvaluator>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertEvaluator>());
        return services;
    }
}

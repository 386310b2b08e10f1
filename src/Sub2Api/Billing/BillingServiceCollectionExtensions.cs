using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sub2Api.Billing;

internal static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Price table (built-in, replaced by downloads when Billing:PricingUrl is set). Needs
    /// <see cref="Configuration.DataDirectory"/> registered, where the downloaded copy is kept.
    /// </summary>
    public static IServiceCollection AddPricing(this IServiceCollection services)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new PricingService(PricingTable.LoadBuiltIn()));
        services.AddHttpClient(PricingRefresher.HttpClientName, client =>
        {
            client.Timeout = PricingRefresher.DownloadTimeout;
            // The file is ~1 MB; a misconfigured URL must not make us buffer something huge.
            client.MaxResponseContentBufferSize = 64L * 1024 * 1024;
        });
        services.AddHostedService<PricingRefresher>();
        return services;
    }
}

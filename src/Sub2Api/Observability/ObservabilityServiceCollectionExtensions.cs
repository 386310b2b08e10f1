using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sub2Api.Observability;
using Sub2Api.Ops;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Metrics (Prometheus at <c>/metrics</c> unless <c>Metrics:Enabled=false</c>), traces (OTLP, only when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set — otherwise nothing listens to <see cref="RelayTelemetry.Source"/> and
/// the relay creates no <see cref="System.Diagnostics.Activity"/>), and the ops error log's recorder.
/// </summary>
internal static class ObservabilityServiceCollectionExtensions
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<RelayTelemetry>();
        services.AddSingleton<OpsErrorRecorder>();
        services.AddSingleton<OpsBodyCapture>();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sub2api", serviceVersion: typeof(GatewayMetrics).Assembly.GetName().Version?.ToString()));
        if (configuration.GetValue("Metrics:Enabled", true))
        {
            // Our meter, plus the runtime's own (GC, thread pool, exceptions): observable only, nothing on the hot path.
            otel.WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName, "System.Runtime").AddPrometheusExporter());
            services.AddTelemetrySampler();
        }
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself (endpoint, protocol, headers).
            otel.WithTracing(tracing => tracing.AddSource(RelayTelemetry.SourceName).AddOtlpExporter());
        }
        services.AddHostedService<TracingStatusReporter>();

        // JSON console logs (Logging:Console:FormatterName=json) carry a UTC timestamp unless the operator chose a format:
        // a log collector needs one, and the default JSON formatter writes none.
        services.PostConfigure<JsonConsoleFormatterOptions>(options =>
        {
            if (options.TimestampFormat is null)
            {
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            }
        });
        return services;
    }

    /// <summary>The gauges' sampler (accounts by state, slots, usage backlog and lag), read off the hot path.</summary>
    public static IServiceCollection AddTelemetrySampler(this IServiceCollection services)
    {
        services.AddSingleton<TelemetrySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetrySampler>());
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in the Prometheus text format. With <c>Metrics:Token</c> set a scrape must send
    /// <c>Authorization: Bearer &lt;token&gt;</c> (compared in constant time); set one whenever the port is public.
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Metrics:Enabled", true))
        {
            return app;
        }
        var token = app.Configuration["Metrics:Token"];
        if (!string.IsNullOrEmpty(token))
        {
            var expected = Encoding.UTF8.GetBytes("Bearer " + token);
            app.UseWhen(context => context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase), branch => branch.Use(
                async (context, next) =>
                {
                    var sent = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                    if (!CryptographicOperations.FixedTimeEquals(sent, expected))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                        await context.Response.WriteAsync("metrics: a bearer token is required\n");
                        return;
                    }
                    await next(context);
                }));
        }
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}

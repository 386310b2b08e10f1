namespace Sub2Api.Observability;

/// <summary>
/// Says once at start whether the relay's spans go anywhere — read from <see cref="RelayTelemetry.Source"/> itself
/// (does anything listen?), not from the configuration, so the line is true even if some other component attaches
/// a listener. Registered after OpenTelemetry's own hosted service, which builds the tracer provider.
/// </summary>
internal sealed partial class TracingStatusReporter(ILogger<TracingStatusReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (RelayTelemetry.Source.HasListeners())
        {
            Log.On(logger);
        }
        else
        {
            Log.Off(logger);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1301, LogLevel.Information, "Relay tracing: on (spans are exported over OTLP)")]
        public static partial void On(ILogger logger);

        [LoggerMessage(1302, LogLevel.Information, "Relay tracing: off (set OTEL_EXPORTER_OTLP_ENDPOINT to export spans; the relay creates none)")]
        public static partial void Off(ILogger logger);
    }
}

using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sub2Api.Benchmarks;

/// <summary>
/// What the secret-redacting logger factory costs. On the hot path every category is below its level (the relay logs
/// nothing per request by default), so the disabled case is the one that matters: it must be no slower than the
/// framework's own logger. The enabled case (to a sink that discards) shows what a written line costs in redaction.
/// </summary>
[MemoryDiagnoser]
public partial class LoggingBenchmarks
{
    private const string Url = "http://127.0.0.1:8080/v1/messages?beta=true";
    private ServiceProvider _plainServices = null!;
    private ServiceProvider _redactingServices = null!;
    private ILogger _plain = null!;
    private ILogger _redacting = null!;
    private ILogger _plainEnabled = null!;
    private ILogger _redactingEnabled = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plainServices = Build(redact: false);
        _redactingServices = Build(redact: true);
        _plain = _plainServices.GetRequiredService<ILoggerFactory>().CreateLogger("Disabled.Category");
        _redacting = _redactingServices.GetRequiredService<ILoggerFactory>().CreateLogger("Disabled.Category");
        _plainEnabled = _plainServices.GetRequiredService<ILoggerFactory>().CreateLogger("Enabled");
        _redactingEnabled = _redactingServices.GetRequiredService<ILoggerFactory>().CreateLogger("Enabled");
    }

    private static ServiceProvider Build(bool redact)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information).AddFilter("Disabled", LogLevel.Warning).AddProvider(new DiscardingProvider());
            if (redact)
            {
                logging.AddSecretRedaction();
            }
        });
        return services.BuildServiceProvider();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plainServices.Dispose();
        _redactingServices.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Disabled category, framework logger")]
    public void DisabledPlain() => RequestFinished(_plain, Url, 200);

    [Benchmark(Description = "Disabled category, redacting logger")]
    public void DisabledRedacting() => RequestFinished(_redacting, Url, 200);

    [Benchmark(Description = "Written line, framework logger")]
    public void EnabledPlain() => RequestFinished(_plainEnabled, Url, 200);

    [Benchmark(Description = "Written line, redacting logger")]
    public void EnabledRedacting() => RequestFinished(_redactingEnabled, Url, 200);

    [Benchmark(Description = "SecretRedactor.Redact, request line without secrets")]
    public string RedactClean() => Sub2Api.Infrastructure.Logging.SecretRedactor.Redact(_cleanLine);

    [Benchmark(Description = "SecretRedactor.Redact, request line with ?key= and a JWT")]
    public string RedactSecret() => Sub2Api.Infrastructure.Logging.SecretRedactor.Redact(_secretLine);

    private readonly string _cleanLine = CleanLine;
    private readonly string _secretLine = SecretLine;
    private const string CleanLine = "Request finished HTTP/1.1 POST http://127.0.0.1:8080/v1/messages?beta=true - 200 - text/event-stream 1234.5678ms";
    private const string SecretLine = "Request starting HTTP/1.1 GET http://127.0.0.1:8080/api/v1/admin/users?page=1&token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl&key=abc - - -";

    [LoggerMessage(LogLevel.Information, "Request finished {Url} - {Status}")]
    private static partial void RequestFinished(ILogger logger, string url, int status);

    private sealed class DiscardingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Discarding();

        public void Dispose()
        {
        }

        // Formats like a real sink, then drops the line.
        private sealed class Discarding : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => NullScope.Instance;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                GC.KeepAlive(formatter(state, exception));
        }

        private sealed class NullScope : IDisposable
        {
            public static readonly NullScope Instance = new();

            public void Dispose()
            {
            }
        }
    }
}

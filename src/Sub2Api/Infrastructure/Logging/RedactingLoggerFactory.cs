using System.Collections.Concurrent;

namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// The application's <see cref="ILoggerFactory"/>: the framework's own, every logger it hands out wrapped in a
/// <see cref="RedactingLogger"/>. Wrapping the factory rather than each provider redacts an entry once for all
/// sinks and keeps provider-specific filter rules (<c>Logging:Console:LogLevel</c>) working.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, RedactingLogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, factory) => new RedactingLogger(factory.CreateLogger(name)), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}

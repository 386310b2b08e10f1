namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// A category's logger with its credentials redacted before any sink sees the entry. A disabled level costs one
/// extra call (<see cref="IsEnabled"/> is passed straight through); the redaction runs only for entries that
/// some sink will write.
/// </summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(RedactedScope.Wrap(state));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }
        ArgumentNullException.ThrowIfNull(formatter);
        var redacted = RedactedLogState.Create(state, formatter(state, exception));
        inner.Log(logLevel, eventId, redacted, RedactedException.From(exception), static (s, _) => s.Message);
    }
}

using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FuzzTests.Infrastructure;

/// <summary>One captured log line and the fuzz case that was running when it was written (-1: seeding).</summary>
internal sealed record LogLine(int CaseNumber, LogLevel Level, string Category, string Text);

/// <summary>
/// Records every log line of the app at every level: the formatted message, every structured value (a real sink
/// such as a JSON console writes them too, so a secret there leaks just the same) and the exception with its
/// stack. Registered with a Trace filter of its own, so it sees Trace even where the app's configuration says less.
/// </summary>
internal sealed class LogRecorder : ILoggerProvider
{
    // A line this long is already a finding in itself; past it only the start is kept, to bound memory.
    private const int MaxLineLength = 256 * 1024;

    private readonly ConcurrentQueue<LogLine> _lines = new();
    private int _currentCase = -1;

    public IReadOnlyCollection<LogLine> Lines => _lines;

    /// <summary>The case the runner is sending now; log lines are attributed to it (requests go one at a time).</summary>
    public int CurrentCase
    {
        get => Volatile.Read(ref _currentCase);
        set => Volatile.Write(ref _currentCase, value);
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string category, string text) =>
        _lines.Enqueue(new LogLine(CurrentCase, level, category, text.Length > MaxLineLength ? text[..MaxLineLength] : text));

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values)
                {
                    text.Append(" | ").Append(name).Append('=').Append(value);
                }
            }
            if (exception is not null)
            {
                text.AppendLine().Append(exception);
            }
            owner.Add(logLevel, category, text.ToString());
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sub2Api.Infrastructure.Logging;

namespace Sub2Api.UnitTests.Logging;

/// <summary>The redaction as a rule of the logging pipeline: what reaches a sink, for every kind of entry.</summary>
public sealed class RedactingLoggerTests
{
    private const string Secret = "sk-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void MessageStructuredValuesAndTemplate_AreRedacted()
    {
        var (factory, sink) = Build();
        var logger = factory.CreateLogger("Test");

        var url = new Uri("http://gw/v1/models?key=" + Secret);
        var header = "Bearer " + Secret;
#pragma warning disable CA1873 // The level is enabled: this test is about what gets written.
        logger.LogInformation("Request {Url} with {Header} ({Status})", url, header, 401);
#pragma warning restore CA1873
#pragma warning disable CA2254 // An interpolated template is exactly what this pins.
        logger.LogWarning($"interpolated {Secret}");
#pragma warning restore CA2254

        var first = sink.Entries.First();
        Assert.Equal("Request http://gw/v1/models?key=[redacted] with Bearer [redacted] (401)", first.Message);
        Assert.Equal("http://gw/v1/models?key=[redacted]", first.Values["Url"]);
        Assert.Equal(401, first.Values["Status"]);
        Assert.Equal("Request {Url} with {Header} ({Status})", first.Values["{OriginalFormat}"]);
        Assert.Equal("interpolated [redacted]", sink.Entries.Last().Values["{OriginalFormat}"]);
        sink.AssertNoSecret(Secret);
    }

    [Fact]
    public void ExceptionsAndScopes_AreRedacted()
    {
        var (factory, sink) = Build();
        var logger = factory.CreateLogger("Test");

        using (logger.BeginScope("HTTP GET {Uri}", "http://up/x?token=" + Secret))
        using (logger.BeginScope("plain scope " + Secret))
        {
            logger.LogError(new HttpRequestException("proxy http://u:" + Secret + "@proxy:3128 refused"), "upstream failed");
        }

        var entry = Assert.Single(sink.Entries);
        Assert.Contains("proxy http://[redacted]@proxy:3128 refused", entry.Exception, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", entry.Exception, StringComparison.Ordinal);
        Assert.Equal(["HTTP GET http://up/x?token=[redacted]", "plain scope [redacted]"], entry.Scopes);
        sink.AssertNoSecret(Secret);
    }

    [Fact]
    public void DisabledLevel_IsNotFormatted()
    {
        var (factory, sink) = Build(LogLevel.Warning);
        var logger = factory.CreateLogger("Test");
        var formatted = false;

        Assert.False(logger.IsEnabled(LogLevel.Debug));
        logger.Log(LogLevel.Debug, default, Secret, null, (s, _) =>
        {
            formatted = true;
            return s;
        });

        Assert.False(formatted);
        Assert.Empty(sink.Entries);
    }

    /// <summary>
    /// HttpClient's own logging (IHttpClientFactory) at Trace writes the request URL at Information and every
    /// header at Trace: neither may carry the upstream credentials to a sink.
    /// </summary>
    [Fact]
    public async Task HttpClientFactoryLogging_AtTrace_RedactsUpstreamUrlAndAuthHeaders()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = AnswerOnceAsync(listener);

        var sink = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(sink).AddSecretRedaction());
        services.AddHttpClient("upstream").RedactLoggedHeaders(_ => false);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("upstream");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/v1/models?key={Secret}&page=1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Secret);
        request.Headers.TryAddWithoutValidation("x-api-key", Secret);
        request.Headers.TryAddWithoutValidation("Cookie", "session=" + Secret);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await serve;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var all = sink.AllText();
        // HttpClient itself already shortens a logged query to "?*" (unless DisableUriRedaction is switched on);
        // the headers are ours to redact once RedactLoggedHeaders lets their values through.
        Assert.Contains($"http://127.0.0.1:{port}/v1/models?", all, StringComparison.Ordinal);
        Assert.Contains("Authorization: [redacted]", all, StringComparison.Ordinal);
        Assert.Contains("x-api-key: [redacted]", all, StringComparison.Ordinal);
        sink.AssertNoSecret(Secret);
    }

    private static async Task AnswerOnceAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[8192];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer);
            if (n == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
    }

    private static (ILoggerFactory Factory, CapturingProvider Sink) Build(LogLevel minimum = LogLevel.Trace)
    {
        var sink = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(minimum).AddProvider(sink).AddSecretRedaction());
        var factory = services.BuildServiceProvider().GetRequiredService<ILoggerFactory>();
        Assert.IsType<RedactingLoggerFactory>(factory);
        return (factory, sink);
    }

    internal sealed record Entry(string Message, IReadOnlyDictionary<string, object?> Values, string Exception,
        IReadOnlyList<string> Scopes, IReadOnlyList<string> ScopeValues)
    {
        public string AllText() => string.Join('\n', [Message, .. Values.Select(v => v.Value?.ToString()), Exception, .. Scopes, .. ScopeValues]);
    }

    /// <summary>A sink that keeps what it is given, the way the console's formatters read it (message, pairs, scopes).</summary>
    internal sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public string AllText() => string.Join('\n', Entries.Select(e => e.AllText()));

        public void AssertNoSecret(string secret)
        {
            Assert.NotEmpty(Entries);
            Assert.DoesNotContain(secret, AllText(), StringComparison.Ordinal);
        }

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? pairs.ToDictionary(p => p.Key, p => p.Value)
                    : new Dictionary<string, object?>();
                var scopes = new List<string>();
                var scopeValues = new List<string>();
                owner._scopes?.ForEachScope((scope, _) =>
                {
                    // As the simple console formatter reads a scope (text) and as the JSON one does (its pairs).
                    scopes.Add(scope?.ToString() ?? "");
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scopePairs)
                    {
                        scopeValues.AddRange(scopePairs.Select(p => p.Value?.ToString() ?? ""));
                    }
                }, 0);
                owner.Entries.Enqueue(new Entry(formatter(state, exception), values, exception?.ToString() ?? "", scopes, scopeValues));
            }
        }
    }
}

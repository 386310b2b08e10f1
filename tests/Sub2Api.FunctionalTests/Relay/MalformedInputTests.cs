using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Scheduling.StickySessions;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// A key holder's malformed bytes on the gateway routes: every one is a 400 in Anthropic's shape, refused before
/// anything goes upstream and without an error (or a stack trace) in the log; what the relay does not read is
/// forwarded byte for byte. Each test sends its cases to one app, so the set stays fast.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly string[] Paths = ["/v1/messages", "/v1/messages/count_tokens"];

    // JSON text (not C# escapes): each decodes to a string that is not valid UTF-16.
    private static readonly string[] LoneSurrogates = [@"\ud800", @"\udfff", @"\ud800\u0041", @"\udc00\ud800"];

    /// <summary>Bodies with <c>{S}</c> where a lone surrogate goes, in a place the relay reads, and the field the
    /// error must name.</summary>
    private static readonly (string Body, string Field)[] ReadFields =
    [
        ("""{"model":"claude-{S}","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""", "model"),
        ("""{"model":"claude-sonnet-4-5","system":"be {S} brief","messages":[{"role":"user","content":"hi"}]}""", "system"),
        ("""{"model":"claude-sonnet-4-5","system":[{"type":"text","text":"a{S}"}],"messages":[{"role":"user","content":"hi"}]}""", "system"),
        ("""{"model":"claude-sonnet-4-5","system":[{"type":"{S}","text":"a"}],"messages":[{"role":"user","content":"hi"}]}""", "system"),
        ("""{"model":"claude-sonnet-4-5","system":[{"type":"text","text":"a","cache_control":{"type":"{S}"}}],"messages":[]}""", "system"),
        ("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi {S}"}]}""", "messages"),
        ("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"{S}"}]}]}""", "messages"),
        ("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"{S}","text":"x"}]}]}""", "messages"),
        ("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"{S}"}}]}]}""", "messages"),
        ("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"x{S}","cache_control":{"type":"ephemeral"}}]}]}""", "messages"),
        ("""{"model":"claude-sonnet-4-5","tools":[{"type":"{S}","name":"t"}],"messages":[{"role":"user","content":"hi"}]}""", "tools"),
        ("""{"model":"claude-sonnet-4-5","metadata":{"user_id":"u{S}"},"messages":[{"role":"user","content":"hi"}]}""", "metadata.user_id"),
        ("""{"model":"claude-sonnet-4-5","thinking":{"type":"{S}","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}""", "thinking.type"),
        ("""{"model":"claude-sonnet-4-5","{S}":1,"messages":[{"role":"user","content":"hi"}]}""", "property name"),
        ("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi","x{S}":1}]}""", "property name"),
    ];

    [Fact]
    public async Task LoneSurrogate_InAFieldTheRelayReads_Is400NamingTheField_WithoutErrorLog()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var logs = CaptureLogs(s);
        using var client = s.Client(key);

        foreach (var path in Paths)
        {
            foreach (var (template, field) in ReadFields)
            {
                foreach (var surrogate in LoneSurrogates)
                {
                    var body = template.Replace("{S}", surrogate, StringComparison.Ordinal);
                    var (status, answer) = await PostRawAsync(client, path, Encoding.UTF8.GetBytes(body));
                    var message = AssertAnthropicError(HttpStatusCode.BadRequest, "invalid_request_error", status, answer, $"{path} {body}");
                    Assert.True(message.StartsWith(field, StringComparison.OrdinalIgnoreCase) || message.Contains(field, StringComparison.Ordinal),
                        $"{path} {body}: the message should name {field}: {message}");
                    Assert.Contains("surrogate", message, StringComparison.Ordinal);
                }
            }
        }

        Assert.Empty(s.Upstream.Received);
        logs.AssertQuiet();
    }

    [Fact]
    public async Task LoneSurrogate_InsideTheUserIdJson_IsNoSessionId_AndTheRequestGoesThrough()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var logs = CaptureLogs(s);
        using var client = s.Client(key);

        // The user_id string itself is valid text ("\\ud800" decodes to a backslash and "ud800"); the JSON inside
        // it then holds the lone surrogate escape.
        var body = Encoding.UTF8.GetBytes(
            """{"model":"claude-sonnet-4-5","max_tokens":8,"metadata":{"user_id":"{\"device_id\":\"d\",\"session_id\":\"\\ud800\",\"x\\udfff\":1}"},"messages":[{"role":"user","content":"hi"}]}""");
        var (status, answer) = await PostRawAsync(client, "/v1/messages", body);

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Equal(body, Assert.Single(s.Upstream.Received).Body);
        logs.AssertQuiet();
    }

    [Fact]
    public async Task InvalidUtf8_AnywhereInTheBody_Is400_AndNothingGoesUpstream()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var logs = CaptureLogs(s);
        using var client = s.Client(key);

        // Invalid sequences: a stray byte, a lone continuation byte, an overlong '/', a UTF-8-encoded surrogate
        // (CESU-8), a code point above U+10FFFF, a truncated sequence.
        byte[][] invalid = [[0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]];
        string[] places =
        [
            """{"model":"claude-{B}","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""",
            """{"model":"claude-sonnet-4-5","system":"{B}","messages":[{"role":"user","content":"hi"}]}""",
            """{"model":"claude-sonnet-4-5","metadata":{"user_id":"{B}"},"messages":[{"role":"user","content":"hi"}]}""",
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi {B}"}]}""",
            // Fields the relay never reads: refused all the same, so no invalid text reaches an upstream.
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"{B}"}]}""",
            """{"model":"claude-sonnet-4-5","x_note":"{B}","messages":[{"role":"user","content":"hi"}]}""",
            """{"model":"claude-sonnet-4-5","x{B}":1,"messages":[{"role":"user","content":"hi"}]}""",
        ];

        foreach (var path in Paths)
        {
            foreach (var place in places)
            {
                foreach (var bytes in invalid)
                {
                    var parts = place.Split("{B}");
                    byte[] body = [.. Encoding.UTF8.GetBytes(parts[0]), .. bytes, .. Encoding.UTF8.GetBytes(parts[1])];
                    var (status, answer) = await PostRawAsync(client, path, body);
                    var message = AssertAnthropicError(HttpStatusCode.BadRequest, "invalid_request_error", status, answer,
                        $"{path} {place} {Convert.ToHexString(bytes)}");
                    Assert.Equal("Request body is not valid UTF-8", message);
                }
            }
        }

        Assert.Empty(s.Upstream.Received);
        logs.AssertQuiet();
    }

    [Fact]
    public async Task LoneSurrogate_InFieldsTheRelayDoesNotRead_IsForwardedByteForByte()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var logs = CaptureLogs(s);
        using var client = s.Client(key);

        // Valid JSON text: the upstream, not the gateway, decides what it makes of these.
        var sent = new List<byte[]>();
        foreach (var path in Paths)
        {
            foreach (var surrogate in LoneSurrogates)
            {
                var body = Encoding.UTF8.GetBytes("""
                    {"model":"claude-sonnet-4-5","max_tokens":8,"x_note":"{S}",
                     "tools":[{"name":"t","description":"a {S} tool","input_schema":{"type":"object","properties":{"p":{"description":"{S}"}}}}],
                     "messages":[{"role":"user","content":"hi"},
                                 {"role":"assistant","content":[{"type":"tool_use","id":"tu_1","name":"t","input":{"p":"{S}"}}]},
                                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"tu_1","content":"r {S}"}]}]}
                    """.Replace("{S}", surrogate, StringComparison.Ordinal));
                sent.Add(body);
                var (status, answer) = await PostRawAsync(client, path, body);
                Assert.True(status == HttpStatusCode.OK, $"{path} {surrogate}: {answer}");
            }
        }

        var received = s.UpstreamRequests(account);
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i], received[i].Body);
        }
        logs.AssertQuiet();
    }

    [Fact]
    public async Task LoneSurrogate_InUnreadFields_SurvivesTheOAuthRewrite()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("ok", accountUuid: "acc00000-0000-4000-8000-000000000001");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var logs = CaptureLogs(s);
        using var client = s.Client(key);

        // Not Claude Code, so mimic mode rewrites system, tools, metadata; the odd strings elsewhere keep their bytes.
        var body = Encoding.UTF8.GetBytes("""
            {"model":"claude-sonnet-4-5","max_tokens":8,"x_note":"\ud800\u0041","system":"be brief",
             "messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"a \udfff b"},{"role":"user","content":"again"}]}
            """);
        var (status, answer) = await PostRawAsync(client, "/v1/messages", body);

        Assert.True(status == HttpStatusCode.OK, answer);
        var forwarded = Encoding.UTF8.GetString(Assert.Single(s.UpstreamRequests(account)).Body);
        Assert.Contains("""
            "x_note":"\ud800\u0041"
            """, forwarded, StringComparison.Ordinal);
        Assert.Contains("""
            {"role":"assistant","content":"a \udfff b"}
            """, forwarded, StringComparison.Ordinal);
        logs.AssertQuiet();
    }

    [Fact]
    public async Task MalformedStructure_WrongTypes_AndHugeNumbers_Are400InAnthropicShape()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var logs = CaptureLogs(s);
        using var client = s.Client(key);

        const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        var cases = new List<(string Body, string Message)>
        {
            (new string('[', 10_000) + new string(']', 10_000), "Failed to parse request body"),
            ("{\"model\":\"claude-sonnet-4-5\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "," + Messages + "}", "Failed to parse request body"),
            (string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000), "Failed to parse request body"),
            ("not json at all", "Failed to parse request body"),
            ("{\"model\":", "Failed to parse request body"),
            ("\0\u0001\u0002", "Failed to parse request body"),
            ("[]", "Request body must be a JSON object"),
            ("\"claude-sonnet-4-5\"", "Request body must be a JSON object"),
            ("42", "Request body must be a JSON object"),
            ("null", "Request body must be a JSON object"),
            ("true", "Request body must be a JSON object"),
            ("{\"model\":1e400," + Messages + "}", "model must be a string"),
        };
        foreach (var model in new[] { "42", "[]", "{}", "true" })
        {
            cases.Add(($"{{\"model\":{model},{Messages}}}", "model must be a string"));
        }
        cases.Add(($"{{\"model\":null,{Messages}}}", "model is required"));
        foreach (var stream in new[] { "1", "[]", "{}", "\"true\"" })
        {
            cases.Add(($"{{\"model\":\"claude-sonnet-4-5\",\"stream\":{stream},{Messages}}}", "stream must be a boolean"));
        }
        foreach (var messages in new[] { "1", "\"hi\"", "{}", "null", "true" })
        {
            cases.Add(($"{{\"model\":\"claude-sonnet-4-5\",\"messages\":{messages}}}", "messages must be an array"));
        }
        foreach (var metadata in new[] { "1", "[]", "\"u\"", "null" })
        {
            cases.Add(($"{{\"model\":\"claude-sonnet-4-5\",\"metadata\":{metadata},{Messages}}}", "metadata must be an object"));
        }
        foreach (var thinking in new[] { "1", "[]", "\"enabled\"", "null" })
        {
            cases.Add(($"{{\"model\":\"claude-sonnet-4-5\",\"thinking\":{thinking},{Messages}}}", "thinking must be an object"));
        }
        foreach (var system in new[] { "1", "{}", "true" })
        {
            cases.Add(($"{{\"model\":\"claude-sonnet-4-5\",\"system\":{system},{Messages}}}", "system must be a string or an array"));
        }
        foreach (var maxTokens in new[] { "1e400", "-1e400", "123456789012345678901234567890", "1.5", "\"64\"", "[]", "{}" })
        {
            cases.Add(($"{{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":{maxTokens},{Messages}}}", "max_tokens must be an integer"));
        }

        foreach (var path in Paths)
        {
            foreach (var (body, expected) in cases)
            {
                var (status, answer) = await PostRawAsync(client, path, Encoding.UTF8.GetBytes(body));
                var message = AssertAnthropicError(HttpStatusCode.BadRequest, "invalid_request_error", status, answer,
                    $"{path} {body[..Math.Min(body.Length, 80)]}");
                Assert.True(expected == message, $"{path} {body[..Math.Min(body.Length, 80)]}: expected '{expected}', got '{message}'");
            }
        }

        Assert.Empty(s.Upstream.Received);
        logs.AssertQuiet();
    }

    [Fact]
    public async Task HugeNumbers_InFieldsTheRelayDoesNotRead_AreForwarded()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        using var client = s.Client(key);

        var body = Encoding.UTF8.GetBytes("""
            {"model":"claude-sonnet-4-5","max_tokens":64000.0,"temperature":1e400,"top_k":123456789012345678901234567890,
             "thinking":{"type":"enabled","budget_tokens":-1e400},"messages":[{"role":"user","content":"hi"}]}
            """);
        var (status, answer) = await PostRawAsync(client, "/v1/messages", body);

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Equal(body, Assert.Single(s.Upstream.Received).Body);
    }

    [Fact]
    public async Task UnhandledException_OnAGatewayRoute_Is500ApiErrorInAnthropicShape_WithoutDetails()
    {
        await using var app = new Sub2ApiFactory();
        using var faulty = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IStickySessionStore>(new FailingStickySessions())));
        var (key, _, _) = await TestSeed.UserWithKeyAsync(app, null, 10m, 5, null);
        var client = faulty.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        client.DefaultRequestHeaders.Add("x-claude-code-session-id", "session-1");

        var (status, answer) = await PostRawAsync(client, "/v1/messages",
            Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"""));

        var message = AssertAnthropicError(HttpStatusCode.InternalServerError, "api_error", status, answer, "sticky store fault");
        Assert.DoesNotContain(FailingStickySessions.Secret, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }

    /// <summary>Asserts Anthropic's <c>{"type":"error","error":{"type","message"}}</c>; returns the message.</summary>
    internal static string AssertAnthropicError(HttpStatusCode expectedStatus, string expectedType, HttpStatusCode status, string body,
        string because)
    {
        Assert.True(status == expectedStatus, $"{because}: expected {(int)expectedStatus}, got {(int)status}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("type").GetString() == "error", $"{because}: {body}");
        var error = json.RootElement.GetProperty("error");
        Assert.True(error.GetProperty("type").GetString() == expectedType, $"{because}: {body}");
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message), $"{because}: {body}");
        return message!;
    }

    internal static async Task<(HttpStatusCode Status, string Body)> PostRawAsync(HttpClient client, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static LevelLogCapture CaptureLogs(RelayScenario s)
    {
        var capture = new LevelLogCapture();
        s.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        return capture;
    }

    /// <summary>Every log entry with its level and exception: a client's bad bytes may cost at most a quiet line.</summary>
    private sealed class LevelLogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> _entries = new();

        /// <summary>Nothing above Information and no exception (a stack trace) anywhere.</summary>
        public void AssertQuiet()
        {
            var loud = _entries.Where(e => e.Level > LogLevel.Information || e.Exception is not null).ToList();
            Assert.True(loud.Count == 0, string.Join("\n", loud.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
        }

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => entries.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }

    /// <summary>A sticky-session store that fails: stands for any bug the relay did not anticipate.</summary>
    private sealed class FailingStickySessions : IStickySessionStore
    {
        public const string Secret = "internal-detail-42";

        public ValueTask<long?> GetAsync(string key) => throw new InvalidOperationException(Secret);

        public ValueTask SetAsync(string key, long accountId, TimeSpan ttl) => throw new InvalidOperationException(Secret);

        public ValueTask RefreshAsync(string key, TimeSpan ttl) => throw new InvalidOperationException(Secret);

        public ValueTask DeleteAsync(string key) => throw new InvalidOperationException(Secret);
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>One request the fake upstream received.</summary>
public sealed record ReceivedRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, string Credential,
    DateTime StartedAt)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
    public DateTime FinishedAt { get; set; }
}

/// <summary>
/// A fake Anthropic API on a real Kestrel socket (127.0.0.1, dynamic port). Its behaviour is chosen by the
/// credential it receives (API key or OAuth bearer token contains one of the words below), it records every
/// request, and it always reports the same usage so billing can be asserted exactly:
/// input 1000, output 500, cache creation 200 (5m 150 / 1h 50), cache read 100.
/// Words: ok, rl429, ovl529, err500, auth401, forb403, bad400 (fail with that status), slow (events
/// <see cref="SlowEventDelay"/> apart), glm (usage only in message_delta), sseerror (stream starts with an
/// error event), miderror (error event after the first delta), hang (silent after the first delta),
/// gate (holds the answer until <see cref="OpenGate"/>), lazy (streams: sends the headers at once but the first
/// event only after <see cref="OpenGate"/>), sig400 (400 "Invalid `signature` in `thinking` block" while the body
/// still has a thinking/redacted_thinking block, else a normal answer), sigtool400 (the same while it has thinking or
/// tool_use/tool_result blocks, with a message naming tool_use). <see cref="Heal"/> makes a failing word answer normally.
/// Faults: mute (never answers, not even headers), reset (streams: the connection closes after the first delta),
/// truncate (JSON: half the announced body, then the connection closes), stall (JSON: half the body, then silence),
/// drip (JSON: headers after <see cref="SlowEventDelay"/>, then the body in eight pieces that far apart).
/// Also <c>GET /api/oauth/usage</c> (Claude subscription usage windows, see <see cref="OAuthUsageAsync"/>).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    public const int InputTokens = 1000;
    public const int OutputTokens = 500;
    public const int CacheCreationTokens = 200;
    public const int CacheCreation5m = 150;
    public const int CacheCreation1h = 50;
    public const int CacheReadTokens = 100;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, bool> _healed = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Cancelled on dispose so held, slow or hanging answers end at once instead of stalling shutdown.
    private readonly CancellationTokenSource _stopping = new();

    private FakeUpstream(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];
    public int CountFor(string credentialPart) => _received.Count(r => r.Credential.Contains(credentialPart, StringComparison.Ordinal));

    /// <summary>The requests whose credential contains <paramref name="credentialPart"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedFor(string credentialPart) =>
        [.. _received.Where(r => r.Credential.Contains(credentialPart, StringComparison.Ordinal))];

    /// <summary>From now on, credentials containing <paramref name="word"/> answer like "ok" (the upstream recovered).</summary>
    public void Heal(string word) => _healed[word] = true;

    /// <summary>Lets every answer held by the "gate" word (and all later ones) go through.</summary>
    public void OpenGate() => _gate.TrySetResult();

    /// <summary>Delay between SSE events for credentials containing "slow".</summary>
    public TimeSpan SlowEventDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// When set, an OAuth bearer token it rejects gets 401 <c>authentication_error</c> (the real upstream refuses an
    /// expired or rotated-away token); OAuth tests point it at the fake OAuth server's current token.
    /// </summary>
    public Func<string, bool>? BearerIsValid { get; set; }

    /// <summary>The error message of "bad400" answers (default "fake 400 from upstream").</summary>
    public string? BadRequestMessage { get; set; }

    /// <summary>Extra headers for "rl429" answers (defaults to a 5h reset one minute ahead).</summary>
    public Func<IDictionary<string, string>> RateLimitHeaders { get; set; } = () => new Dictionary<string, string>
    {
        ["anthropic-ratelimit-unified-5h-reset"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds().ToString(),
        ["anthropic-ratelimit-unified-5h-surpassed-threshold"] = "true",
    };

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.MapPost("/v1/messages", fake.MessagesAsync);
        app.MapPost("/v1/messages/count_tokens", fake.CountTokensAsync);
        app.MapGet("/api/oauth/usage", fake.OAuthUsageAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private async Task<ReceivedRequest> RecordAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var credential = headers.TryGetValue("x-api-key", out var key) ? key
            : headers.TryGetValue("authorization", out var auth) ? auth : "";
        var received = new ReceivedRequest(context.Request.Path, context.Request.QueryString.Value ?? "", headers, buffer.ToArray(),
            credential, DateTime.UtcNow);
        _received.Enqueue(received);
        return received;
    }

    /// <summary>When the "five_hour" window of <c>/api/oauth/usage</c> resets (the other windows are fixed offsets from now).</summary>
    public DateTimeOffset UsageFiveHourResetsAt { get; set; } = DateTimeOffset.UtcNow.AddHours(2);

    /// <summary>
    /// <c>GET /api/oauth/usage</c>, the Claude subscription windows: five_hour 42.5 %, seven_day 10 %, seven_day_opus 3 %,
    /// seven_day_sonnet 7 %. The failure words answer with their status as <c>/v1/messages</c> does; every call is recorded.
    /// </summary>
    private async Task OAuthUsageAsync(HttpContext context)
    {
        var received = await RecordAsync(context);
        if (await TryFailAsync(context, received.Credential))
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        await context.Response.WriteAsJsonAsync(new
        {
            five_hour = new { utilization = 42.5, resets_at = UsageFiveHourResetsAt.ToString("O") },
            seven_day = new { utilization = 10.0, resets_at = now.AddDays(3).ToString("O") },
            seven_day_oauth_apps = (object?)null,
            seven_day_opus = new { utilization = 3.0, resets_at = now.AddDays(3).ToString("O") },
            seven_day_sonnet = new { utilization = 7.0, resets_at = now.AddDays(3).ToString("O") },
        });
    }

    private async Task CountTokensAsync(HttpContext context)
    {
        var received = await RecordAsync(context);
        if (await TryFailAsync(context, received.Credential))
        {
            return;
        }
        await context.Response.WriteAsJsonAsync(new { input_tokens = 42 });
    }

    private async Task MessagesAsync(HttpContext context)
    {
        var received = await RecordAsync(context);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var ct = aborted.Token;
        try
        {
            var credential = received.Credential;
            if (credential.Contains("gate", StringComparison.Ordinal))
            {
                await _gate.Task.WaitAsync(ct);
            }
            if (credential.Contains("mute", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, ct); // an upstream that never answers
            }
            if (await TryRejectBearerAsync(context, credential) || await TryFailAsync(context, credential)
                || await TrySignatureFailAsync(context, received))
            {
                return;
            }
            var json = received.Json;
            var model = json["model"]?.GetValue<string>() ?? "unknown";
            var stream = json["stream"]?.GetValue<bool>() == true;
            context.Response.Headers["request-id"] = "req_fake_" + Guid.NewGuid().ToString("N")[..8];
            context.Response.Headers["anthropic-ratelimit-unified-5h-status"] = "allowed";
            if (!stream)
            {
                await WriteJsonAsync(context, JsonMessage(model), credential, ct);
                return;
            }
            context.Response.ContentType = "text/event-stream";
            if (credential.Contains("lazy", StringComparison.Ordinal))
            {
                // Headers now, the first event only when the gate opens (a model that thinks before its first token).
                await context.Response.StartAsync(ct);
                await context.Response.Body.FlushAsync(ct);
                await _gate.Task.WaitAsync(ct);
            }
            foreach (var sse in Events(model, credential))
            {
                if (sse is null)
                {
                    await Task.Delay(Timeout.Infinite, ct); // "hang": silent upstream
                }
                if (sse!.Length == 0)
                {
                    // "reset": the connection closes mid-stream, without the chunked body's end. Kestrel does so for a
                    // handler that fails after the response started, once what was written is sent (context.Abort()
                    // would drop bytes still queued for the socket).
                    throw new InvalidOperationException("fake upstream drops the connection mid-stream");
                }
                await context.Response.WriteAsync(sse!, ct);
                await context.Response.Body.FlushAsync(ct);
                if (credential.Contains("slow", StringComparison.Ordinal))
                {
                    await Task.Delay(SlowEventDelay, ct);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The gateway went away (client disconnect, stream cut) or the fake is stopping.
        }
        finally
        {
            received.FinishedAt = DateTime.UtcNow;
        }
    }

    private async Task<bool> TryRejectBearerAsync(HttpContext context, string credential)
    {
        if (BearerIsValid is not { } isValid || !credential.StartsWith("Bearer ", StringComparison.Ordinal) || isValid(credential["Bearer ".Length..]))
        {
            return false;
        }
        context.Response.StatusCode = 401;
        await context.Response.WriteAsJsonAsync(new
        {
            type = "error",
            error = new { type = "authentication_error", message = "OAuth token has expired or is not valid" },
        });
        return true;
    }

    /// <summary>A non-stream answer, whole or with the fault its credential names (truncate, stall, drip).</summary>
    private async Task WriteJsonAsync(HttpContext context, string json, string credential, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var half = body.Length / 2;
        if (!credential.Contains("truncate", StringComparison.Ordinal) && !credential.Contains("stall", StringComparison.Ordinal)
            && !credential.Contains("drip", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync(json, ct);
            return;
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        if (credential.Contains("truncate", StringComparison.Ordinal) || credential.Contains("stall", StringComparison.Ordinal))
        {
            await context.Response.Body.WriteAsync(body.AsMemory(0, half), ct);
            await context.Response.Body.FlushAsync(ct);
            if (credential.Contains("stall", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            // Returning short of the announced length makes Kestrel close the connection once the half is sent.
            return;
        }
        if (credential.Contains("drip", StringComparison.Ordinal))
        {
            await Task.Delay(SlowEventDelay, ct);
            var piece = (body.Length + 7) / 8;
            for (var offset = 0; offset < body.Length; offset += piece)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)), ct);
                await context.Response.Body.FlushAsync(ct);
                if (offset + piece < body.Length)
                {
                    await Task.Delay(SlowEventDelay, ct);
                }
            }
            return;
        }
    }

    private async Task<bool> TryFailAsync(HttpContext context, string credential)
    {
        if (_healed.Keys.Any(word => credential.Contains(word, StringComparison.Ordinal)))
        {
            return false;
        }
        (int Status, string Type)? failure =
            credential.Contains("rl429", StringComparison.Ordinal) ? (429, "rate_limit_error")
            : credential.Contains("ovl529", StringComparison.Ordinal) ? (529, "overloaded_error")
            : credential.Contains("err500", StringComparison.Ordinal) ? (500, "api_error")
            : credential.Contains("auth401", StringComparison.Ordinal) ? (401, "authentication_error")
            : credential.Contains("forb403", StringComparison.Ordinal) ? (403, "permission_error")
            : credential.Contains("bad400", StringComparison.Ordinal) ? (400, "invalid_request_error")
            : null;
        if (failure is not { } f)
        {
            return false;
        }
        if (f.Status == 429)
        {
            foreach (var (name, value) in RateLimitHeaders())
            {
                context.Response.Headers[name] = value;
            }
        }
        context.Response.StatusCode = f.Status;
        var message = f.Status == 400 && BadRequestMessage is { } custom ? custom : $"fake {f.Status} from upstream";
        await context.Response.WriteAsJsonAsync(new { type = "error", error = new { type = f.Type, message } });
        return true;
    }

    public const string SignatureErrorMessage = "messages.1.content.0: Invalid `signature` in `thinking` block";
    public const string ToolSignatureErrorMessage = "messages.1.content.1: Invalid `signature` in `thinking` block preceding `tool_use`";

    /// <summary>"sig400"/"sigtool400": a signature error while the history still has the blocks it names.</summary>
    private static async Task<bool> TrySignatureFailAsync(HttpContext context, ReceivedRequest received)
    {
        var tools = received.Credential.Contains("sigtool400", StringComparison.Ordinal);
        if (!tools && !received.Credential.Contains("sig400", StringComparison.Ordinal))
        {
            return false;
        }
        var types = (received.Json["messages"] as JsonArray ?? [])
            .SelectMany(m => m?["content"] as JsonArray ?? [])
            .Select(b => b?["type"]?.GetValueKind() == JsonValueKind.String ? b["type"]!.GetValue<string>() : null)
            .ToHashSet();
        var failing = types.Contains("thinking") || types.Contains("redacted_thinking")
            || (tools && (types.Contains("tool_use") || types.Contains("tool_result")));
        if (!failing)
        {
            return false;
        }
        context.Response.StatusCode = 400;
        await context.Response.WriteAsJsonAsync(new
        {
            type = "error",
            error = new { type = "invalid_request_error", message = tools ? ToolSignatureErrorMessage : SignatureErrorMessage },
        });
        return true;
    }

    public static string JsonMessage(string model) => JsonSerializer.Serialize(new
    {
        id = "msg_fake",
        type = "message",
        role = "assistant",
        model,
        content = new[] { new { type = "text", text = "Hello from the fake upstream." } },
        stop_reason = "end_turn",
        stop_sequence = (string?)null,
        usage = new
        {
            input_tokens = InputTokens,
            output_tokens = OutputTokens,
            cache_creation_input_tokens = CacheCreationTokens,
            cache_read_input_tokens = CacheReadTokens,
            cache_creation = new { ephemeral_5m_input_tokens = CacheCreation5m, ephemeral_1h_input_tokens = CacheCreation1h },
        },
    });

    /// <summary>The SSE events of one answer; null marks "go silent here".</summary>
    private static IEnumerable<string?> Events(string model, string credential)
    {
        var glm = credential.Contains("glm", StringComparison.Ordinal);
        if (credential.Contains("sseerror", StringComparison.Ordinal))
        {
            yield return "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
            yield break;
        }
        var startUsage = glm
            ? "{\"input_tokens\":0,\"output_tokens\":0}"
            : $"{{\"input_tokens\":{InputTokens},\"cache_creation_input_tokens\":{CacheCreationTokens},\"cache_read_input_tokens\":{CacheReadTokens},\"cache_creation\":{{\"ephemeral_5m_input_tokens\":{CacheCreation5m},\"ephemeral_1h_input_tokens\":{CacheCreation1h}}},\"output_tokens\":1}}";
        yield return $"event: message_start\ndata: {{\"type\":\"message_start\",\"message\":{{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"{model}\",\"content\":[],\"stop_reason\":null,\"usage\":{startUsage}}}}}\n\n";
        yield return "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
        yield return "event: ping\ndata: {\"type\": \"ping\"}\n\n";
        var parts = credential.Contains("slow", StringComparison.Ordinal) ? 10 : 3;
        for (var i = 0; i < parts; i++)
        {
            if (i == 1 && credential.Contains("hang", StringComparison.Ordinal))
            {
                yield return null;
            }
            if (i == 1 && credential.Contains("reset", StringComparison.Ordinal))
            {
                yield return "";
            }
            if (i == 1 && credential.Contains("miderror", StringComparison.Ordinal))
            {
                yield return "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
                yield break;
            }
            yield return $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"part {i} \"}}}}\n\n";
        }
        yield return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
        var deltaUsage = glm
            ? $"{{\"input_tokens\":{InputTokens},\"output_tokens\":{OutputTokens},\"cache_creation_input_tokens\":{CacheCreationTokens},\"cache_read_input_tokens\":{CacheReadTokens}}}"
            : $"{{\"output_tokens\":{OutputTokens}}}";
        yield return $"event: message_delta\ndata: {{\"type\":\"message_delta\",\"delta\":{{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}},\"usage\":{deltaUsage}}}\n\n";
        yield return "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

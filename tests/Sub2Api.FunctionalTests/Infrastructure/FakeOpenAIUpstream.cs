using System.Collections.Concurrent;
using System.Globalization;
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

/// <summary>
/// A fake OpenAI upstream on a real Kestrel socket (127.0.0.1, dynamic port) that records every request
/// (<see cref="Received"/>, credential = the whole <c>Authorization</c> header) and serves:
/// <list type="bullet">
/// <item><c>POST /v1/responses</c> (API-key accounts) and <c>POST /backend-api/codex/responses</c> (ChatGPT OAuth accounts:
/// 400 without a <c>chatgpt-account-id</c> header, and, like chatgpt.com, 400 unless <c>stream</c> is true and <c>store</c> is
/// false while <see cref="StrictCodexBackend"/> is on). JSON when <c>stream</c> is not true, else SSE (created, in_progress,
/// output_item.added, content_part.added, output_text.delta × <see cref="TextDeltas"/>, output_text.done, content_part.done,
/// output_item.done, completed with usage). A function call instead of text when the credential contains "toolcall", or the
/// request has <c>tools</c> and its last input text contains <see cref="ToolCallTrigger"/>.</item>
/// <item><c>POST /v1/responses/compact</c> and <c>POST /backend-api/codex/responses/compact</c> (JSON output array + usage).</item>
/// <item><c>POST /v1/chat/completions</c>: a <c>chat.completion</c>, or <c>chat.completion.chunk</c>s ending with
/// <c>data: [DONE]</c> (a usage chunk before it when <c>stream_options.include_usage</c> is true).</item>
/// <item><c>GET /v1/models</c>: <c>data</c> (OpenAI list) plus <c>models</c> (the Codex catalog, see <see cref="FakeOpenAIPayloads.ModelsJson"/>).</item>
/// </list>
/// The requested <c>model</c> is echoed. Usage is always the constants below. Successful answers carry the
/// <see cref="UsageHeaders"/> (x-codex-* windows). Behaviour words in the credential (API key or access token):
/// ratelimited (429 usage_limit_reached with <see cref="RateLimitHeaders"/> and <c>resets_in_seconds</c>
/// <see cref="RateLimitResetSeconds"/>), unauthorized (401), forbidden (403), badrequest (400), servererror (500),
/// failed (streams: response.created then response.failed; JSON: a response with status "failed"), slow (answers and
/// events <see cref="SlowEventDelay"/> apart), toolcall (function call). <see cref="Heal"/> makes a failing word answer
/// normally; <see cref="BearerIsValid"/> rejects OAuth tokens with 401 (token refresh tests).
/// </summary>
public sealed class FakeOpenAIUpstream : IAsyncDisposable
{
    public const int InputTokens = 1000;
    public const int CachedTokens = 200;
    public const int OutputTokens = 500;
    public const int ReasoningTokens = 100;
    public const int TotalTokens = InputTokens + OutputTokens;

    /// <summary>The streamed text pieces; together they are <see cref="ResponseText"/>.</summary>
    public static readonly IReadOnlyList<string> TextDeltas = ["Hello", " from the", " fake OpenAI", " upstream."];
    public const string ResponseText = "Hello from the fake OpenAI upstream.";

    public const string ToolCallTrigger = "[call-tool]";
    public const string FunctionName = "get_weather";
    public const string FunctionCallId = "call_fake_1";
    public const string FunctionArguments = "{\"city\":\"Paris\"}";
    public static readonly IReadOnlyList<string> FunctionArgumentDeltas = ["{\"city\":", "\"Paris\"}"];

    public const string FailedMessage = "fake upstream failed the response";
    public const string CompactionContent = "fake-encrypted-compaction";
    public const int RateLimitResetSeconds = 600;

    public const string ApiKeyResponsesPath = "/v1/responses";
    public const string CodexResponsesPath = "/backend-api/codex/responses";
    public const string ChatCompletionsPath = "/v1/chat/completions";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, bool> _healed = new(StringComparer.Ordinal);
    // Cancelled on dispose so slow answers end at once instead of stalling shutdown.
    private readonly CancellationTokenSource _stopping = new();

    private FakeOpenAIUpstream(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The root URL (no path): API-key accounts call <c>{BaseUrl}/v1/responses</c>, OAuth ones <c>{BaseUrl}/backend-api/codex/responses</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>The requests whose credential contains <paramref name="credentialPart"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedFor(string credentialPart) =>
        [.. _received.Where(r => r.Credential.Contains(credentialPart, StringComparison.Ordinal))];

    public int CountFor(string credentialPart) => ReceivedFor(credentialPart).Count;

    /// <summary>From now on, credentials containing <paramref name="word"/> answer normally (the upstream recovered).</summary>
    public void Heal(string word) => _healed[word] = true;

    /// <summary>Delay before the answer and between SSE events for credentials containing "slow".</summary>
    public TimeSpan SlowEventDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// When set, an OAuth access token (Codex backend paths) it rejects gets 401 (an expired or rotated-away token);
    /// OAuth tests point it at the fake OAuth server's current token.
    /// </summary>
    public Func<string, bool>? BearerIsValid { get; set; }

    /// <summary>Whether the Codex backend paths refuse <c>stream</c> ≠ true or <c>store</c> ≠ false with 400, as chatgpt.com does.</summary>
    public bool StrictCodexBackend { get; set; } = true;

    /// <summary>The model ids <c>GET /v1/models</c> lists.</summary>
    public IReadOnlyList<string> Models { get; set; } = ["gpt-5.1-codex", "gpt-5.1", "gpt-5.4"];

    /// <summary>Usage-window headers on every successful answer (the account's usage snapshot).</summary>
    public Func<IDictionary<string, string>> UsageHeaders { get; set; } = () => new Dictionary<string, string>
    {
        ["x-codex-primary-used-percent"] = "12.5",
        ["x-codex-primary-reset-after-seconds"] = "3600",
        ["x-codex-primary-window-minutes"] = "300",
        ["x-codex-secondary-used-percent"] = "40",
        ["x-codex-secondary-reset-after-seconds"] = "86400",
        ["x-codex-secondary-window-minutes"] = "10080",
        ["x-codex-primary-over-secondary-limit-percent"] = "0",
    };

    /// <summary>Headers of "ratelimited" 429 answers: the 5 h window is used up and resets in <see cref="RateLimitResetSeconds"/>.</summary>
    public Func<IDictionary<string, string>> RateLimitHeaders { get; set; } = () => new Dictionary<string, string>
    {
        ["x-codex-primary-used-percent"] = "100",
        ["x-codex-primary-reset-after-seconds"] = RateLimitResetSeconds.ToString(CultureInfo.InvariantCulture),
        ["x-codex-primary-window-minutes"] = "300",
        ["x-codex-secondary-used-percent"] = "55",
        ["x-codex-secondary-reset-after-seconds"] = "302400",
        ["x-codex-secondary-window-minutes"] = "10080",
    };

    /// <summary>The <c>error.resets_in_seconds</c> of "ratelimited" 429 bodies; null leaves it out (a burst 429 that states no reset).</summary>
    public int? RateLimitBodyResetSeconds { get; set; } = RateLimitResetSeconds;

    public static async Task<FakeOpenAIUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeOpenAIUpstream(app);
        app.MapPost(ApiKeyResponsesPath, context => fake.ResponsesAsync(context, oauth: false));
        app.MapPost(CodexResponsesPath, context => fake.ResponsesAsync(context, oauth: true));
        app.MapPost(ApiKeyResponsesPath + "/compact", context => fake.CompactAsync(context, oauth: false));
        app.MapPost(CodexResponsesPath + "/compact", context => fake.CompactAsync(context, oauth: true));
        app.MapPost(ChatCompletionsPath, fake.ChatCompletionsAsync);
        app.MapGet("/v1/models", fake.ModelsAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private async Task<ReceivedRequest> RecordAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var received = new ReceivedRequest(context.Request.Path, context.Request.QueryString.Value ?? "", headers, buffer.ToArray(),
            headers.GetValueOrDefault("authorization", ""), DateTime.UtcNow);
        _received.Enqueue(received);
        return received;
    }

    private async Task ResponsesAsync(HttpContext context, bool oauth)
    {
        await HandleAsync(context, oauth, async (received, json, ct) =>
        {
            var model = ModelOf(json);
            var functionCall = WantsFunctionCall(received.Credential, json);
            var failed = Has(received.Credential, "failed");
            if (json["stream"]?.GetValueKind() != JsonValueKind.True)
            {
                var body = failed
                    ? FakeOpenAIPayloads.Response("resp_fake_failed", model, "failed", null,
                        new JsonObject { ["code"] = "server_error", ["message"] = FailedMessage }).ToJsonString()
                    : FakeOpenAIPayloads.ResponseJson(model, functionCall);
                await WriteJsonAsync(context, 200, body, ct);
                return;
            }
            await WriteEventsAsync(context, FakeOpenAIPayloads.ResponseEvents(model, functionCall, failed), received.Credential, ct);
        });
    }

    private async Task CompactAsync(HttpContext context, bool oauth)
    {
        await HandleAsync(context, oauth, (_, json, ct) => WriteJsonAsync(context, 200, FakeOpenAIPayloads.CompactJson(ModelOf(json), json), ct),
            compact: true);
    }

    private async Task ChatCompletionsAsync(HttpContext context)
    {
        await HandleAsync(context, oauth: false, async (received, json, ct) =>
        {
            var model = ModelOf(json);
            if (json["stream"]?.GetValueKind() != JsonValueKind.True)
            {
                await WriteJsonAsync(context, 200, FakeOpenAIPayloads.ChatCompletionJson(model), ct);
                return;
            }
            var includeUsage = json["stream_options"]?["include_usage"]?.GetValueKind() == JsonValueKind.True;
            await WriteEventsAsync(context, FakeOpenAIPayloads.ChatChunks(model, includeUsage), received.Credential, ct);
        });
    }

    private async Task ModelsAsync(HttpContext context)
    {
        var received = await RecordAsync(context);
        if (await TryFailAsync(context, received.Credential, context.RequestAborted))
        {
            return;
        }
        await WriteJsonAsync(context, 200, FakeOpenAIPayloads.ModelsJson(Models), context.RequestAborted);
    }

    /// <summary>Records the request, applies the failure rules, then lets <paramref name="answer"/> write the success.</summary>
    private async Task HandleAsync(HttpContext context, bool oauth, Func<ReceivedRequest, JsonNode, CancellationToken, Task> answer,
        bool compact = false)
    {
        var received = await RecordAsync(context);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var ct = aborted.Token;
        try
        {
            if (await TryRejectBearerAsync(context, received.Credential, oauth, ct) || await TryFailAsync(context, received.Credential, ct))
            {
                return;
            }
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(received.Body);
            }
            catch (JsonException)
            {
                json = null;
            }
            if (json is not JsonObject)
            {
                await WriteJsonAsync(context, 400, FakeOpenAIPayloads.Error("invalid_request_error", "We could not parse the JSON body of your request."), ct);
                return;
            }
            if (oauth && await TryRejectCodexBackendAsync(context, received, json, compact, ct))
            {
                return;
            }
            if (Has(received.Credential, "slow"))
            {
                await Task.Delay(SlowEventDelay, ct);
            }
            context.Response.Headers["x-request-id"] = "req_fake_" + Guid.NewGuid().ToString("N")[..12];
            foreach (var (name, value) in UsageHeaders())
            {
                context.Response.Headers[name] = value;
            }
            await answer(received, json, ct);
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

    /// <summary>What chatgpt.com's Codex backend refuses: no account header, or (strict) a non-stream or stored request.</summary>
    private async Task<bool> TryRejectCodexBackendAsync(HttpContext context, ReceivedRequest received, JsonNode json, bool compact,
        CancellationToken ct)
    {
        string? problem = string.IsNullOrEmpty(received.Header("chatgpt-account-id")) ? "Missing chatgpt-account-id header"
            : !StrictCodexBackend || compact ? null
            : json["stream"]?.GetValueKind() != JsonValueKind.True ? "Stream must be set to true"
            : json["store"]?.GetValueKind() != JsonValueKind.False ? "Store must be set to false"
            : null;
        if (problem is null)
        {
            return false;
        }
        await WriteJsonAsync(context, 400, new JsonObject { ["detail"] = problem }.ToJsonString(), ct);
        return true;
    }

    private async Task<bool> TryRejectBearerAsync(HttpContext context, string credential, bool oauth, CancellationToken ct)
    {
        if (!oauth || BearerIsValid is not { } isValid || !credential.StartsWith("Bearer ", StringComparison.Ordinal)
            || isValid(credential["Bearer ".Length..]))
        {
            return false;
        }
        await WriteJsonAsync(context, 401, FakeOpenAIPayloads.Error("invalid_request_error",
            "Your authentication token has expired. Please try signing in again.", "token_expired"), ct);
        return true;
    }

    private async Task<bool> TryFailAsync(HttpContext context, string credential, CancellationToken ct)
    {
        if (_healed.Keys.Any(word => Has(credential, word)))
        {
            return false;
        }
        (int Status, string Type, string? Code)? failure =
            Has(credential, "ratelimited") ? (429, "usage_limit_reached", null)
            : Has(credential, "unauthorized") ? (401, "invalid_request_error", "invalid_api_key")
            : Has(credential, "forbidden") ? (403, "permission_error", null)
            : Has(credential, "badrequest") ? (400, "invalid_request_error", null)
            : Has(credential, "servererror") ? (500, "server_error", null)
            : null;
        if (failure is not { } f)
        {
            return false;
        }
        int? resetsIn = null;
        if (f.Status == 429)
        {
            foreach (var (name, value) in RateLimitHeaders())
            {
                context.Response.Headers[name] = value;
            }
            resetsIn = RateLimitBodyResetSeconds;
        }
        var message = f.Status == 429 ? "The usage limit has been reached" : $"fake {f.Status} from upstream";
        await WriteJsonAsync(context, f.Status, FakeOpenAIPayloads.Error(f.Type, message, f.Code, resetsIn), ct);
        return true;
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json, CancellationToken ct = default)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, ct);
    }

    private async Task WriteEventsAsync(HttpContext context, IEnumerable<string> events, string credential, CancellationToken ct)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var slow = Has(credential, "slow");
        var list = events.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            // "nolineend": the stream's last line ends without its line end (as a static-file server may send it).
            var sse = i == list.Count - 1 && Has(credential, "nolineend") ? list[i].TrimEnd('\n') : list[i];
            await context.Response.WriteAsync(sse, ct);
            if (Has(credential, "truncated") && sse.Contains("output_text.delta", StringComparison.Ordinal))
            {
                // "truncated": the stream ends cleanly right after the first text, without its terminal event.
                await context.Response.Body.FlushAsync(ct);
                return;
            }
            await context.Response.Body.FlushAsync(ct);
            if (slow)
            {
                await Task.Delay(SlowEventDelay, ct);
            }
        }
    }

    private static bool Has(string credential, string word) => credential.Contains(word, StringComparison.Ordinal);

    private static string ModelOf(JsonNode json) =>
        json["model"]?.GetValueKind() == JsonValueKind.String ? json["model"]!.GetValue<string>() : "unknown";

    /// <summary>"toolcall" in the credential, or tools in the request and the trigger in the last input item's text.</summary>
    private static bool WantsFunctionCall(string credential, JsonNode json)
    {
        if (Has(credential, "toolcall"))
        {
            return true;
        }
        if (json["tools"] is not JsonArray { Count: > 0 })
        {
            return false;
        }
        var last = json["input"] switch
        {
            JsonArray items when items.Count > 0 => items[^1],
            JsonValue value => value,
            _ => null,
        };
        return last is not null && last.ToJsonString().Contains(ToolCallTrigger, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

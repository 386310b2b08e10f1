using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data.Entities;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Providers.OpenAI;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Sub2Api.Admin.Accounts;

internal sealed record AccountTestRequest(string? ModelId);

/// <summary>
/// <c>POST /admin/accounts/:id/test</c>: sends a short "hi" through the relay's own forwarding path (the account's
/// proxy, model mapping, auth, Claude Code identity and metadata.user_id for OAuth) and streams what happens to the
/// admin as the original's events: <c>test_start</c>, <c>content</c> per text delta, then <c>test_complete</c>
/// (success) or <c>error</c>. Nobody is billed (no usage row, no balance change), no user slot or account slot is
/// taken, and the outcome never marks the account: the admin is reading the error right here and decides, and a test
/// run while diagnosing (say, just after re-authorising) must not take an account out of service. The original sets an
/// account to error on a 403 during a test; real traffic still does that here.
/// </summary>
internal static partial class AccountTestApi
{
    /// <summary>A cheap current model: a connectivity check needs no more.</summary>
    public const string DefaultTestModel = "claude-haiku-4-5-20251001";

    /// <summary>The same for OpenAI accounts (served by API keys and ChatGPT subscriptions alike).</summary>
    public const string DefaultOpenAITestModel = "gpt-5.1-codex-mini";
    private const int TestMaxTokens = 64;
    private const int MaxErrorChars = 2048;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The relay needs a caller; an admin's test has none, so this one stands in (it is never billed).</summary>
    private static readonly Caller AdminTestCaller = new(
        new CallerKey(0, 0, "account-test", null, Statuses.Active, null, 0m, 0m, [], []),
        new CallerUser(0, Statuses.Active, 0, null), null, null);

    public static void MapAdminAccountTest(this RouteGroupBuilder admin) =>
        admin.MapPost("/accounts/{id:long}/test", TestAsync);

    private static async Task<IResult> TestAsync(long id, HttpContext context, AccountPool pool, UpstreamForwarder forwarder,
        ProviderRegistry providers, TimeProvider time, ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var (modelId, bodyError) = await ReadModelIdAsync(context, ct);
        if (bodyError is not null)
        {
            return Api.BadRequest(bodyError);
        }
        var snapshot = await pool.GetAsync(ct);
        if (!snapshot.ById.TryGetValue(id, out var account))
        {
            return Api.NotFound($"account {id} not found");
        }
        var openAI = account.Platform == Platforms.OpenAI && account.Type is AccountTypes.OAuth or AccountTypes.ApiKey;
        if (!openAI && (account.Platform is not (Platforms.Anthropic or Platforms.Antigravity)
            || account.Type is not (AccountTypes.OAuth or AccountTypes.SetupToken or AccountTypes.ApiKey)))
        {
            return Api.BadRequest($"testing {account.Platform} {account.Type} accounts is not supported");
        }
        var model = modelId ?? DefaultModelFor(account, openAI ? DefaultOpenAITestModel : DefaultTestModel);
        var request = openAI
            ? BuildOpenAIRequest(model, providers.For(Platforms.OpenAI)!, time)
            : BuildRequest(model, providers.For(Platforms.Anthropic)!, time);

        var events = new TestEventWriter(context);
        await events.StartAsync();
        await events.SendAsync(new JsonObject { ["type"] = "test_start", ["model"] = account.MapModel(model) });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TestTimeout);
        try
        {
            // A synthetic client request: the admin's own headers (browser, JWT) must never reach the upstream or
            // shape the account's fingerprint. Without Claude Code's markers, OAuth accounts go out in mimic mode.
            var client = new DefaultHttpContext().Request;
            client.Method = "POST";
            client.Path = openAI ? "/v1/responses" : "/v1/messages";
            if (!openAI)
            {
                client.Headers["anthropic-version"] = AnthropicHeaders.DefaultVersion;
            }
            client.Headers.ContentType = "application/json";
            using var attempt = await forwarder.SendAsync(account, request, client, timeout.Token);
            if (!attempt.IsSuccess)
            {
                await events.FailAsync(FailureMessage(attempt));
                return Results.Empty;
            }
            await RelayStreamAsync(attempt.Response!, events, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await events.FailAsync($"Test timed out after {TestTimeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException)
        {
            // The admin closed the page; nobody to tell.
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Log.StreamFailed(loggers.CreateLogger(typeof(AccountTestApi)), id, e.GetType().Name);
            await events.FailAsync($"Stream read error: {e.Message}");
        }
        return Results.Empty;
    }

    /// <summary>The optional body <c>{"model_id": "..."}</c>; an empty body is fine.</summary>
    private static async Task<(string? ModelId, string? Error)> ReadModelIdAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.ContentLength == 0 || (context.Request.ContentLength is null && !context.Request.HasJsonContentType()))
        {
            return (null, null);
        }
        try
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: ct);
            if (body is null)
            {
                return (null, null);
            }
            if (body is not JsonObject o)
            {
                return (null, "request body must be a JSON object");
            }
            return o["model_id"] switch
            {
                null => (null, null),
                JsonValue v when v.TryGetValue<string>(out var model) && !string.IsNullOrWhiteSpace(model) && model.Length <= 200 =>
                    (model.Trim(), null),
                JsonValue v when v.TryGetValue<string>(out var model) && string.IsNullOrWhiteSpace(model) => (null, null),
                _ => (null, "model_id must be a model name"),
            };
        }
        // JsonObject materialises its properties on first access: a duplicate key throws ArgumentException there,
        // and a string that is not valid Unicode throws when read.
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, "request body must be a JSON object with unique keys and valid text");
        }
    }

    /// <summary>The default test model, unless the account's mapping does not take it: then the first model it does.</summary>
    private static string DefaultModelFor(AccountModel account, string defaultModel) =>
        account.SupportsModel(defaultModel)
            ? defaultModel
            : account.ModelMapping.Keys.Where(k => !k.EndsWith('*')).Order(StringComparer.Ordinal).FirstOrDefault() ?? defaultModel;

    /// <summary>A streamed Responses "hi" (what Codex CLI sends, minus its tools).</summary>
    private static RelayRequest BuildOpenAIRequest(string model, IRelayProvider provider, TimeProvider time)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["model"] = model, ["input"] = "hi", ["stream"] = true });
        if (!OpenAIRequestParser.TryParseResponses(body, out var info, out var error))
        {
            throw new InvalidOperationException($"the account test body does not parse: {error}");
        }
        return new RelayRequest
        {
            RequestId = RelayRequest.NewId(),
            Caller = AdminTestCaller,
            Info = new OpenAIClientRequest(info!, IsChat: false),
            Body = body,
            SessionHash = "",
            Platform = Platforms.OpenAI,
            Provider = provider,
            Operation = OpenAIOperations.Responses,
            StartTimestamp = time.GetTimestamp(),
        };
    }

    private static RelayRequest BuildRequest(string model, IRelayProvider provider, TimeProvider time)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = TestMaxTokens,
            ["stream"] = true,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "hi" }),
            }),
        });
        if (!AnthropicRequestParser.TryParse(body, out var info, out var error))
        {
            throw new InvalidOperationException($"the account test body does not parse: {error}");
        }
        return new RelayRequest
        {
            RequestId = RelayRequest.NewId(),
            Caller = AdminTestCaller,
            Info = info!,
            Body = body,
            SessionHash = "",
            Platform = Platforms.Anthropic,
            Provider = provider,
            Operation = AnthropicOperations.Messages,
            StartTimestamp = time.GetTimestamp(),
        };
    }

    private static string FailureMessage(UpstreamAttempt attempt)
    {
        if (attempt.Failure is UpstreamFailure.NetworkError)
        {
            return "Request failed: could not reach the upstream";
        }
        if (attempt.Failure is UpstreamFailure.Timeout)
        {
            return "Request failed: the upstream did not answer in time";
        }
        var text = Encoding.UTF8.GetString(attempt.ErrorBody);
        if (text.Length > MaxErrorChars)
        {
            text = text[..MaxErrorChars];
        }
        return $"API returned {attempt.Status}: {text}";
    }

    /// <summary>Turns the upstream's SSE (or, from an upstream that ignored <c>stream</c>, its JSON) into test events.</summary>
    private static async Task RelayStreamAsync(HttpResponseMessage response, TestEventWriter events, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var message = JsonNode.Parse(await reader.ReadToEndAsync(ct));
            // Anthropic's content blocks, or the text parts of a Responses object's output messages.
            var blocks = message?["content"] as JsonArray
                ?? new JsonArray([.. (message?["output"] as JsonArray ?? []).SelectMany(item => item?["content"] as JsonArray ?? [])
                    .Select(part => part?.DeepClone())]);
            foreach (var block in blocks)
            {
                if (block?["text"] is JsonValue text && text.TryGetValue<string>(out var value))
                {
                    await events.SendAsync(new JsonObject { ["type"] = "content", ["text"] = value });
                }
            }
            await events.CompleteAsync();
            return;
        }
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }
            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                await events.CompleteAsync();
                return;
            }
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(data.ToString());
            }
            catch (JsonException)
            {
                continue;
            }
            var type = Text(json?["type"]);
            // Anthropic's events, and the Responses API's (OpenAI accounts).
            var delta = type switch
            {
                "content_block_delta" => Text(json!["delta"]?["text"]),
                "response.output_text.delta" => Text(json!["delta"]),
                _ => null,
            };
            if (delta is not null)
            {
                await events.SendAsync(new JsonObject { ["type"] = "content", ["text"] = delta });
            }
            else if (type is "message_stop" or "response.completed")
            {
                await events.CompleteAsync();
                return;
            }
            else if (type is "error" or "response.failed")
            {
                var failure = Text(json!["error"]?["message"]) ?? Text(json["response"]?["error"]?["message"]) ?? Text(json["message"]);
                await events.FailAsync(failure ?? "Unknown error");
                return;
            }
        }
        await events.FailAsync("Stream ended before its final event");
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static partial class Log
    {
        [LoggerMessage(820, LogLevel.Warning, "Account test of {AccountId}: upstream stream failed ({Error})")]
        public static partial void StreamFailed(ILogger logger, long accountId, string error);
    }

    /// <summary>Writes <c>data: {json}\n\n</c> events, flushed one by one.</summary>
    private sealed class TestEventWriter(HttpContext context)
    {
        private bool _done;

        public Task StartAsync()
        {
            var response = context.Response;
            response.StatusCode = (int)HttpStatusCode.OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers.Connection = "keep-alive";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            return response.StartAsync(context.RequestAborted);
        }

        public async Task SendAsync(JsonObject payload)
        {
            var bytes = Encoding.UTF8.GetBytes("data: " + payload.ToJsonString() + "\n\n");
            try
            {
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The admin left.
            }
        }

        public async Task CompleteAsync()
        {
            if (!_done)
            {
                _done = true;
                await SendAsync(new JsonObject { ["type"] = "test_complete", ["success"] = true });
            }
        }

        /// <summary>The original's <c>error</c> event, then a closing <c>test_complete</c> that says it failed.</summary>
        public async Task FailAsync(string error)
        {
            if (!_done)
            {
                _done = true;
                await SendAsync(new JsonObject { ["type"] = "error", ["error"] = error });
                await SendAsync(new JsonObject { ["type"] = "test_complete", ["success"] = false, ["error"] = error });
            }
        }
    }
}

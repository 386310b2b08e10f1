using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FuzzTests.Infrastructure;

/// <summary>
/// A tiny Anthropic-like upstream on 127.0.0.1 that every upstream URL of the app points at, so no route can reach
/// the internet. <c>POST /v1/messages</c> answers 200 with usage (JSON or SSE, as asked) and, like the real API, a
/// 400 <c>invalid_request_error</c> to a body it cannot read: the gateway forwards what it does not inspect, and a
/// client's bad bytes must then come back as the upstream's 4xx, never as a 5xx blamed on the fake. Every other
/// path (count_tokens aside) is a 404 in Anthropic's shape.
/// </summary>
internal sealed class FuzzUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FuzzUpstream(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests received (shows that gateway traffic got through to an upstream).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FuzzUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var upstream = new FuzzUpstream(app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var path = context.Request.Path.Value ?? "";
        var post = HttpMethods.IsPost(context.Request.Method);
        if (post && path == "/v1/messages/count_tokens")
        {
            await (TryParse(buffer) is null ? ErrorAsync(context, 400, "invalid_request_error") : context.Response.WriteAsJsonAsync(new { input_tokens = 42 }));
            return;
        }
        if (!post || path != "/v1/messages")
        {
            await ErrorAsync(context, 404, "not_found_error");
            return;
        }
        if (TryParse(buffer) is not JsonObject request)
        {
            await ErrorAsync(context, 400, "invalid_request_error");
            return;
        }
        var model = ReadString(request["model"]) ?? "unknown";
        var stream = request["stream"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        context.Response.Headers["request-id"] = "req_fuzz";
        if (!stream)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Message(model).ToJsonString());
            return;
        }
        context.Response.ContentType = "text/event-stream";
        foreach (var (name, data) in Events(model))
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n");
        }
    }

    /// <summary>The body as JSON, or null when it is not (invalid UTF-8, lone surrogates, bad syntax, too deep).</summary>
    private static JsonNode? TryParse(MemoryStream buffer)
    {
        try
        {
            var node = JsonNode.Parse(buffer.ToArray());
            // Reading every string once surfaces lone surrogates, which the parser accepts but cannot decode.
            _ = node?.ToJsonString();
            return node;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static string? ReadString(JsonNode? node)
    {
        try
        {
            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string type)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "error", error = new { type, message = $"fuzz upstream: {type}" } });
    }

    private static JsonObject Usage() => new()
    {
        ["input_tokens"] = 100,
        ["output_tokens"] = 50,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = 0,
    };

    private static JsonObject Message(string model) => new()
    {
        ["id"] = "msg_fuzz",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "ok" }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = Usage(),
    };

    private static IEnumerable<(string Name, JsonObject Data)> Events(string model)
    {
        var start = Message(model);
        start["content"] = new JsonArray();
        start["stop_reason"] = null;
        yield return ("message_start", new JsonObject { ["type"] = "message_start", ["message"] = start });
        yield return ("content_block_start", new JsonObject
        {
            ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
        });
        yield return ("content_block_delta", new JsonObject
        {
            ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = "ok" },
        });
        yield return ("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        yield return ("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 50 },
        });
        yield return ("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FunctionalTests.Ops.Alerts;

/// <summary>One webhook call as received: the signature header and the exact body bytes.</summary>
public sealed record WebhookCall(string? Signature, string ContentType, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    public string Status => Json.GetProperty("status").GetString()!;
}

/// <summary>A webhook endpoint on 127.0.0.1 that records every POST to <c>/hook</c> and answers <see cref="StatusCode"/>.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookCall> _calls = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";
    public int StatusCode { get; set; } = 200;
    public IReadOnlyList<WebhookCall> Calls => [.. _calls];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            receiver._calls.Enqueue(new WebhookCall(context.Request.Headers["X-Sub2Api-Signature"].ToString() is { Length: > 0 } s ? s : null,
                context.Request.ContentType ?? "", buffer.ToArray()));
            context.Response.StatusCode = receiver.StatusCode;
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sub2Api.BenchTool;

/// <summary>
/// The idle-stream upstream: every <c>POST …/v1/messages</c> gets message_start at once, then silence until
/// <see cref="Release"/>, then the rest of the recorded stream.
/// </summary>
internal sealed class FakeUpstream(byte[] start, byte[] rest)
{
    private TaskCompletionSource _release = NewRelease();
    private int _opened;
    private int _aborted;

    public int Opened => Volatile.Read(ref _opened);

    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>Finishes every stream open now and every stream that arrives later.</summary>
    public void Release() => Volatile.Read(ref _release).TrySetResult();

    /// <summary>Finishes every stream open now; streams that arrive later wait for the next release.</summary>
    public void ReleaseOpen() => Interlocked.Exchange(ref _release, NewRelease()).TrySetResult();

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WebApplication> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        return app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.Request.Path.Value?.EndsWith("/v1/messages", StringComparison.Ordinal) != true)
        {
            context.Response.StatusCode = 404;
            return;
        }
        var ct = context.RequestAborted;
        var release = Volatile.Read(ref _release).Task;
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, ct);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.Body.WriteAsync(start, ct);
            await context.Response.Body.FlushAsync(ct);
            Interlocked.Increment(ref _opened);
            await release.WaitAsync(ct);
            await context.Response.Body.WriteAsync(rest, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Interlocked.Increment(ref _aborted);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sub2Api.BenchTool;

/// <summary>
/// The .NET floor: the smallest Kestrel + SocketsHttpHandler reverse proxy — read the body, send it upstream on a
/// pooled connection, copy the answer back — with nothing a gateway does (no auth, parsing, scheduling, slots,
/// usage or billing). Measured in the same run as the gateway, it shows how much of the distance to nginx is the
/// platform's HTTP stack and how much is the gateway's own work.
/// </summary>
internal static class ForwardCommand
{
    public static async Task<int> RunAsync(CommandLine options)
    {
        var port = options.Int("port");
        var upstream = new Uri(options.Required("upstream"));
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
        });

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            var length = (int)(context.Request.ContentLength ?? 0);
            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
            using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await invoker.SendAsync(request, context.RequestAborted);
            var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
        await app.StartAsync();
        Console.Error.WriteLine($"forward: 127.0.0.1:{port} -> {upstream} (Ctrl-C or SIGTERM to stop)");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

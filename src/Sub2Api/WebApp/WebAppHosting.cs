using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Sub2Api.Common;

namespace Sub2Api.WebApp;

/// <summary>
/// The web app (built from <c>web/</c> into the output's <c>wwwroot/</c>) served at "/": hashed assets cached for a
/// year, <c>index.html</c> never cached (so a new release is picked up on the next load), and the app's own paths
/// (<c>/dashboard</c>, <c>/admin/users</c>, …) answered with <c>index.html</c> for the app's router. <c>/api</c>,
/// <c>/v1</c> and <c>/health</c> keep their own answers, 404s included.
/// </summary>
internal static class WebAppHosting
{
    /// <summary>Where the built app is: <c>WebApp:Root</c>, else <c>wwwroot</c> beside the application.</summary>
    public static string RootPath(IConfiguration configuration) =>
        configuration["WebApp:Root"] is { Length: > 0 } root ? Path.GetFullPath(root) : Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static IServiceCollection AddWebApp(this IServiceCollection services) =>
        // Only the app's files go through this (see UseWebApp): the relay's bodies are never compressed here.
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json"];
        });

    /// <summary>
    /// Placed where unmatched requests pass (no endpoint): routes always win, and requests that matched a route never
    /// pay for a file lookup.
    /// </summary>
    public static IApplicationBuilder UseWebApp(this IApplicationBuilder app, IConfiguration configuration, ILogger logger)
    {
        var root = RootPath(configuration);
        var index = Path.Combine(root, "index.html");
        if (!File.Exists(index))
        {
            logger.LogWarning("The web app is not built ({Index} is missing): \"/\" explains how to build it. The API works without it.", index);
        }
        return app.UseWhen(IsAppRequest, web =>
        {
            web.UseResponseCompression();
            if (Directory.Exists(root))
            {
                web.UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = new PhysicalFileProvider(root),
                    ContentTypeProvider = new FileExtensionContentTypeProvider(),
                    OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = CacheControlFor(file.Context.Request.Path),
                });
            }
            web.Run(context => ServeIndexAsync(context, index));
        });
    }

    private static bool IsAppRequest(HttpContext context) =>
        context.GetEndpoint() is null
        && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !RouteFamilies.IsGatewayPath(context.Request.Path)
        && !RouteFamilies.IsManagementPath(context.Request.Path)
        && !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    /// <summary>Vite names every file under /assets by its content hash: it never changes, so it may be kept forever.</summary>
    internal static string CacheControlFor(PathString path) =>
        path.StartsWithSegments("/assets", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";

    private static async Task ServeIndexAsync(HttpContext context, string index)
    {
        var path = context.Request.Path.Value ?? "/";
        // A missing file (an old hashed asset, a typo) is a 404: answering it with index.html would hand HTML to a
        // <script> tag. Only extension-less paths are the app's pages.
        if (path.StartsWith("/assets/", StringComparison.Ordinal) || Path.HasExtension(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.Headers.CacheControl = "no-cache";
        if (File.Exists(index))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(index, context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(NotBuiltPage, context.RequestAborted);
    }

    private const string NotBuiltPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sub2Api</title></head>
        <body style="font-family: sans-serif; max-width: 640px; margin: 48px auto; line-height: 1.5">
        <h1>Sub2Api is running</h1>
        <p>The gateway and its API work, but the web app was not built: the build needs Node.js 20.19 or newer.</p>
        <p>Install Node, then build again — <code>dotnet run --project src/Sub2Api</code> builds the app from
        <code>web/</code> by itself. Until then, manage the gateway through <code>/api/v1</code> (see the README's curl
        quick start).</p>
        </body></html>
        """;
}

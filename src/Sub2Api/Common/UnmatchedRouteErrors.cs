using Sub2Api.Providers.Anthropic;
using Sub2Api.Relay;

namespace Sub2Api.Common;

/// <summary>
/// Unknown paths and wrong methods under <c>/v1</c> and <c>/api</c> answer in their family's error shape instead of
/// routing's empty 404/405: on a relayed path in the error shape of the API it speaks, else 404 <c>not_found_error</c> /
/// 405 in Anthropic's shape for the gateway, 404 / 405 in the management envelope for the API. Other paths pass through
/// untouched.
/// </summary>
/// <remarks>
/// Placed in the management branch of the pipeline: a request that matched a gateway endpoint never enters it, so
/// the relay's hot path pays nothing. An unmatched request has no endpoint, or routing's own 405 endpoint, which is
/// not a <see cref="RouteEndpoint"/> — neither is a gateway endpoint, so both come through here.
/// </remarks>
internal static class UnmatchedRouteErrors
{
    public static IApplicationBuilder UseUnmatchedRouteErrors(this IApplicationBuilder app) =>
        app.Use(next => context => context.GetEndpoint() is RouteEndpoint ? next(context) : HandleAsync(context, next));

    private static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var dialect = context.RequestServices.GetService<RelayRouteDialects>()?.For(path);
        var gateway = dialect is not null || RouteFamilies.IsGatewayPath(path);
        if (!gateway && !RouteFamilies.IsManagementPath(path))
        {
            await next(context);
            return;
        }
        if (context.GetEndpoint() is { RequestDelegate: { } rejection })
        {
            // Routing's 405 endpoint sets the status and the Allow header; the body is ours.
            await rejection(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
        var status = context.Response.StatusCode;
        if (context.Response.HasStarted
            || status is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed or StatusCodes.Status415UnsupportedMediaType))
        {
            return;
        }
        // Routing's rejection endpoints (405, and 415 for a JSON route sent another content type) set a
        // Content-Length of 0, so the status-code pages further in would not write a body for them either.
        context.Response.ContentLength = null;
        var message = status switch
        {
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status415UnsupportedMediaType => "Request body must be JSON (Content-Type: application/json)",
            _ => $"Method {context.Request.Method} is not allowed here (allowed: {context.Response.Headers.Allow})",
        };
        if (gateway)
        {
            context.Response.ContentType = "application/json";
            var type = AnthropicErrorTypes.ForStatus(status);
            var body = dialect is null ? AnthropicErrors.Json(type, message) : dialect.ErrorJson(type, message);
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }
        var reason = status switch
        {
            StatusCodes.Status404NotFound => "NOT_FOUND",
            StatusCodes.Status415UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            _ => "METHOD_NOT_ALLOWED",
        };
        await context.Response.WriteAsJsonAsync(new ApiErrorBody(status, message, reason, null), context.RequestAborted);
    }
}

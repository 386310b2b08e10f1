using Sub2Api.Providers.Anthropic;

namespace Sub2Api.Common;

/// <summary>
/// Unknown paths and wrong methods under <c>/v1</c> and <c>/api</c> answer in their family's error shape instead of
/// routing's empty 404/405: 404 <c>not_found_error</c> / 405 in Anthropic's shape for the gateway, 404 / 405 in the
/// management envelope for the API. Other paths pass through untouched.
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
        var gateway = RouteFamilies.IsGatewayPath(path);
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
        if (context.Response.HasStarted || status is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed))
        {
            return;
        }
        var message = status == StatusCodes.Status404NotFound
            ? "Not found"
            : $"Method {context.Request.Method} is not allowed here (allowed: {context.Response.Headers.Allow})";
        if (gateway)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(AnthropicErrors.Json(AnthropicErrorTypes.ForStatus(status), message), context.RequestAborted);
            return;
        }
        var reason = status == StatusCodes.Status404NotFound ? "NOT_FOUND" : "METHOD_NOT_ALLOWED";
        await context.Response.WriteAsJsonAsync(new ApiErrorBody(status, message, reason, null), context.RequestAborted);
    }
}

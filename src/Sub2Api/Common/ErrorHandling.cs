using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.Common;

/// <summary>
/// Last line of defence: client mistakes (bad JSON, wrong types, bad query values) become a 400 naming the field;
/// anything else is a logged 500 without internals. The answer takes the shape of the route's family: the
/// management envelope, or Anthropic's error for the gateway routes (clients there are Anthropic SDKs, which
/// cannot read an envelope).
/// </summary>
internal sealed partial class ErrorHandling(ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, reason, message) = Describe(exception);
        if (status >= 500)
        {
            Log.Unhandled(logger, exception, context.Request.Method, context.Request.Path);
        }
        if (context.Response.HasStarted)
        {
            return true;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (IsGatewayRequest(context))
        {
            // The envelope's 500 text is generic already; Anthropic's own wording for its api_error is used here.
            var body = AnthropicErrors.Json(AnthropicErrorTypes.ForStatus(status), status >= 500 ? "Internal server error" : message);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body, cancellationToken);
            return true;
        }
        await context.Response.WriteAsJsonAsync(new ApiErrorBody(status, message, reason, null), cancellationToken);
        return true;
    }

    /// <summary>A gateway endpoint (the exception handler has cleared the request's endpoint and kept it in its
    /// feature), or any path under /v1 when routing never got that far.</summary>
    internal static bool IsGatewayRequest(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<GatewayEndpoint>() is not null
        || context.GetEndpoint()?.Metadata.GetMetadata<GatewayEndpoint>() is not null
        || RouteFamilies.IsGatewayPath(context.Request.Path);

    internal static (int Status, string Reason, string Message) Describe(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Reason, api.Message),
        BadHttpRequestException { InnerException: JsonException json } => (400, "INVALID_JSON", DescribeJson(json)),
        BadHttpRequestException { StatusCode: 413 } => (413, "PAYLOAD_TOO_LARGE", "request body too large"),
        BadHttpRequestException bad when bad.Message.Contains("no body was provided", StringComparison.Ordinal)
            => (400, "VALIDATION_ERROR", "request body is required"),
        BadHttpRequestException bad => (bad.StatusCode, "BAD_REQUEST", FirstSentence(bad.Message)),
        JsonException json => (400, "INVALID_JSON", DescribeJson(json)),
        _ => (500, "INTERNAL_ERROR", "internal server error"),
    };

    private static string DescribeJson(JsonException json)
    {
        var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
        return field is null
            ? "request body is not valid JSON"
            : $"invalid value for field '{field}'";
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message.TrimEnd('.');
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled exception on {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
    }
}

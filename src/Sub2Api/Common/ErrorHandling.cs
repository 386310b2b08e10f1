using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
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
        BadHttpRequestException bad when DescribeBindingFailure(bad.Message) is { } message => (400, "VALIDATION_ERROR", message),
        BadHttpRequestException bad => (bad.StatusCode, "BAD_REQUEST", FirstSentence(bad.Message)),
        JsonException json => (400, "INVALID_JSON", DescribeJson(json)),
        _ => (500, "INTERNAL_ERROR", "internal server error"),
    };

    /// <summary>
    /// A route or query value that does not parse as its handler parameter's type (<c>/users/abc</c>, an id
    /// beyond the 64-bit range). The framework's message is <c>Failed to bind parameter "long id" from "abc".</c>;
    /// the answer names the parameter but does not echo the value, which may be anything the client sent.
    /// </summary>
    private static string? DescribeBindingFailure(string message)
    {
        const string prefix = "Failed to bind parameter \"";
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var end = message.IndexOf('"', prefix.Length);
        var declaration = end < 0 ? "" : message[prefix.Length..end];
        var space = declaration.LastIndexOf(' ');
        if (space <= 0)
        {
            return "invalid parameter value";
        }
        var type = declaration[..space].TrimEnd('?');
        var name = declaration[(space + 1)..];
        return type is "long" or "int" or "short" or "Int64" or "Int32" or "Int16"
            ? $"{name} must be an integer"
            : $"{name} has an invalid value";
    }

    /// <summary>
    /// Answers that the framework ends without a body (no route: 404, wrong method: 405, not JSON: 415) get the
    /// management envelope too, so every error a client of <c>/api/v1</c> sees has the same shape.
    /// </summary>
    public static async Task WriteEmptyErrorAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var status = http.Response.StatusCode;
        var (reason, message) = status switch
        {
            404 => ("NOT_FOUND", "no such route"),
            405 => ("METHOD_NOT_ALLOWED", $"method {http.Request.Method} is not allowed on this route"),
            415 => ("UNSUPPORTED_MEDIA_TYPE", "request body must be JSON (Content-Type: application/json)"),
            _ => (ReasonPhrases.GetReasonPhrase(status).ToUpperInvariant().Replace(' ', '_'), ReasonPhrases.GetReasonPhrase(status).ToLowerInvariant()),
        };
        await http.Response.WriteAsJsonAsync(new ApiErrorBody(status, message, reason, null), http.RequestAborted);
    }

    private static string DescribeJson(JsonException json)
    {
        var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
        if (json is JsonMemberException inner)
        {
            field = field is null ? inner.Member : $"{field}.{inner.Member}";
        }
        // The path holds the client's property names, which may be anything: a few characters are enough to find it.
        if (field is { Length: > 100 })
        {
            field = field[..100] + "…";
        }
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

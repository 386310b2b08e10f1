using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sub2Api.Auth;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.Relay;

/// <summary>A request the relay refuses before scheduling: status, Anthropic error type, message.</summary>
internal readonly record struct RequestError(int Status, string Type, string Message);

/// <summary>
/// Step 2: reads the body up to <c>Gateway:MaxBodySize</c> (413 beyond), extracts model/stream/session inputs
/// without copying or re-serialising, applies the one account-independent edit (the cache_control limit) and
/// computes the sticky-session hash.
/// </summary>
internal sealed class RequestReader(IOptionsMonitor<GatewayOptions> options)
{
    public async Task<(RelayRequest? Request, RequestError? Error)> ReadAsync(HttpContext context, Caller caller, string requestId,
        long started, CancellationToken cancellationToken)
    {
        var platform = caller.Group?.Platform ?? Platforms.Anthropic;
        // Gemini/Antigravity groups need format conversion, which this build does not have yet.
        if (platform != Platforms.Anthropic)
        {
            return (null, new RequestError(400, "invalid_request_error",
                $"This API key's group serves the {platform} platform, which /v1/messages does not support"));
        }
        var (body, error) = await ReadBodyAsync(context, options.CurrentValue.MaxBodySize, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }
        if (!AnthropicRequestParser.TryParse(body, out var info, out var parseError))
        {
            return (null, new RequestError(400, "invalid_request_error", parseError!));
        }
        if (AnthropicBodyEditor.EnforceCacheControlLimit(body.Span) is { } limited)
        {
            body = limited;
        }
        return (new RelayRequest
        {
            RequestId = requestId,
            Caller = caller,
            Info = info!,
            Body = body,
            SessionHash = SessionHash.Compute(info!, context.Request.Headers),
            Platform = Platforms.Anthropic,
            StartTimestamp = started,
        }, null);
    }

    public static async Task<(ReadOnlyMemory<byte> Body, RequestError? Error)> ReadBodyAsync(HttpContext context, long maxBytes,
        CancellationToken cancellationToken)
    {
        var tooLarge = new RequestError(413, "request_too_large", $"Request body exceeds the limit of {maxBytes} bytes");
        if (context.Request.ContentLength > maxBytes)
        {
            return (default, tooLarge);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        var initial = context.Request.ContentLength is { } length and > 0 ? (int)length : 16 * 1024;
        var buffer = new MemoryStream(initial);
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (default, tooLarge);
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (default, tooLarge);
        }
        if (buffer.Length == 0)
        {
            return (default, new RequestError(400, "invalid_request_error", "Request body is empty"));
        }
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sub2Api.Auth;
using Sub2Api.Configuration;

namespace Sub2Api.Relay;

/// <summary>A request the relay refuses before scheduling: status, error type, message.</summary>
internal readonly record struct RequestError(int Status, string Type, string Message);

/// <summary>
/// Step 2: finds the provider of the key's platform, reads the body up to <c>Gateway:MaxBodySize</c> (413 beyond),
/// and lets the route's parser extract model/stream/session inputs without copying or re-serialising.
/// </summary>
internal sealed partial class RequestReader(IOptionsMonitor<GatewayOptions> options, ProviderRegistry providers, ILogger<RequestReader> logger)
{
    public async Task<(RelayRequest? Request, RequestError? Error)> ReadAsync(HttpContext context, RelayRoute route, Caller caller,
        string requestId, long started, CancellationToken cancellationToken)
    {
        var platform = caller.Group?.Platform ?? route.DefaultPlatform;
        if (providers.For(platform) is not { } provider || !provider.Serves(route.Operation))
        {
            return (null, new RequestError(400, "invalid_request_error",
                $"This API key's group serves the {platform} platform, which {route.Path} does not support"));
        }
        var (body, error) = await ReadBodyAsync(context, options.CurrentValue.MaxBodySize, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }
        if (route.Parser.Parse(body, context.Request, caller, out var parseError) is not { } parsed)
        {
            // A client's mistake: one quiet line with our own message, never the client's bytes or a stack trace
            // (any key holder can send these as fast as they like).
            Log.Refused(logger, requestId, parseError!);
            return (null, new RequestError(400, "invalid_request_error", parseError!));
        }
        return (new RelayRequest
        {
            RequestId = requestId,
            Caller = caller,
            Info = parsed.Info,
            Body = parsed.Body,
            SessionHash = parsed.SessionHash,
            Platform = platform,
            Provider = provider,
            Operation = route.Operation,
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
        byte[] body;
        int length;
        try
        {
            (body, length) = context.Request.ContentLength is { } declared
                ? (await ReadExactAsync(context.Request.Body, checked((int)declared), cancellationToken), (int)declared)
                : await ReadUnknownAsync(context.Request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (default, tooLarge);
        }
        catch (InvalidDataException)
        {
            return (default, tooLarge);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException)
        {
            // The client stopped sending (or left) before the body was complete.
            return (default, new RequestError(400, "invalid_request_error", "Request body ended before Content-Length bytes"));
        }
        if (length == 0)
        {
            return (default, new RequestError(400, "invalid_request_error", "Request body is empty"));
        }
        return (body.AsMemory(0, length), null);
    }

    /// <summary>The common case: Content-Length is known, so the body lands in one exactly-sized array.</summary>
    private static async Task<byte[]> ReadExactAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    /// <summary>Chunked uploads: grow until the end, refusing more than the limit.</summary>
    private static async Task<(byte[] Body, int Length)> ReadUnknownAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException("body too large");
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.GetBuffer(), (int)buffer.Length);
    }

    private static partial class Log
    {
        [LoggerMessage(704, LogLevel.Debug, "Request {RequestId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string requestId, string reason);
    }
}

using Sub2Api.Auth;

namespace Sub2Api.Relay;

/// <summary>
/// The client side of one relayed request. Knows whether SSE has started, so every error goes out in the only
/// form still possible: a JSON error response before anything was sent, an in-band <c>event: error</c> after —
/// never a second response — in the shapes of the API the route imitates (<see cref="IClientDialect"/>).
/// </summary>
internal sealed class ClientChannel(HttpContext context, string requestId, IClientDialect dialect)
{
    public HttpContext Context { get; } = context;
    public bool SseStarted { get; private set; }
    public bool ClientGone => Context.RequestAborted.IsCancellationRequested;

    /// <summary>Told of every error written, so metrics and the ops log know what the client saw.</summary>
    public Observability.RelayObservation? Observation { get; set; }

    public async Task StartSseAsync()
    {
        if (SseStarted)
        {
            return;
        }
        var response = Context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers.Connection = "keep-alive";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers["x-request-id"] = requestId;
        Context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        SseStarted = true;
        await response.StartAsync(Context.RequestAborted);
    }

    /// <summary>A keep-alive while waiting for a slot; the first one commits the SSE headers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await StartSseAsync();
        await Context.Response.Body.WriteAsync(dialect.Ping, cancellationToken);
        await Context.Response.Body.FlushAsync(cancellationToken);
    }

    public Task WriteErrorAsync(int status, string type, string message)
    {
        Observation?.ClientError(status, type, message);
        return SseStarted
            ? WriteSseAsync(dialect.ErrorSseEvent(type, message))
            : WriteJsonAsync(status, dialect.ErrorJson(type, message));
    }

    /// <summary>Gateway auth failures: the dialect's error shape plus the original's machine-readable code.</summary>
    public Task WriteAuthErrorAsync(GatewayAuthError error)
    {
        var type = error.Status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            403 => "permission_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            _ => "api_error",
        };
        Observation?.ClientError(error.Status, type, error.Message);
        return SseStarted
            ? WriteSseAsync(dialect.ErrorSseEvent(type, error.Message))
            : WriteJsonAsync(error.Status, dialect.ErrorJson(type, error.Message, error.Code));
    }

    /// <summary>An upstream 400 body passed through as is (the upstream's own words), or its message in-band once streaming.</summary>
    public Task WritePassthroughAsync(int status, byte[] body, string message)
    {
        Observation?.ClientError(status, "invalid_request_error", message);
        return SseStarted
            ? WriteSseAsync(dialect.ErrorSseEvent("invalid_request_error", message))
            : WriteJsonAsync(status, body);
    }

    private async Task WriteJsonAsync(int status, byte[] json)
    {
        if (Context.Response.HasStarted || ClientGone)
        {
            return;
        }
        Context.Response.StatusCode = status;
        Context.Response.ContentType = "application/json";
        Context.Response.Headers["x-request-id"] = requestId;
        await Context.Response.Body.WriteAsync(json, CancellationToken.None);
    }

    private async Task WriteSseAsync(byte[] sse)
    {
        try
        {
            await Context.Response.Body.WriteAsync(sse, Context.RequestAborted);
            await Context.Response.Body.FlushAsync(Context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client is gone; nobody to tell.
        }
    }

}

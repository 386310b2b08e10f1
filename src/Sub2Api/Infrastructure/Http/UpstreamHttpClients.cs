using System.Collections.Concurrent;
using System.Net;

namespace Sub2Api.Infrastructure.Http;

/// <summary>
/// One pooled <see cref="HttpMessageInvoker"/> per proxy (null = direct), reused across requests so upstream
/// connections stay warm. An invoker, not an HttpClient: HttpClient's convenience overloads buffer responses,
/// and we stream (YARP makes the same choice). Decompression, redirects and cookies are off: we relay bytes.
/// </summary>
internal sealed class UpstreamHttpClients : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _invokers = new(StringComparer.Ordinal);

    public HttpMessageInvoker For(string? proxyUrl) =>
        _invokers.GetOrAdd(proxyUrl ?? "", key => new HttpMessageInvoker(CreateHandler(key.Length == 0 ? null : key), disposeHandler: true));

    private static SocketsHttpHandler CreateHandler(string? proxyUrl) => new()
    {
        // SocketsHttpHandler speaks http, https and socks4/5 proxies natively.
        UseProxy = proxyUrl is not null,
        Proxy = proxyUrl is null ? null : ProxyUrls.ToWebProxy(proxyUrl),
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        // No per-host cap: HTTP/1.1 upstreams need one connection per open stream, and a cap here would queue
        // long-lived streams behind each other (the original's 240 per host starved busy pools).
        EnableMultipleHttp2Connections = true,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        // No traceparent/baggage headers upstream: the official clients don't send them (fingerprinting), and
        // the per-request Activity work is measurable on the hot path.
        ActivityHeadersPropagator = null,
    };

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }
    }
}

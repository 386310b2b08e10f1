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
        Proxy = proxyUrl is null ? null : CreateProxy(proxyUrl),
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

    /// <summary>
    /// WebProxy ignores credentials written into its address: they must be given as <see cref="WebProxy.Credentials"/>,
    /// or an authenticating proxy answers 407 to every request.
    /// </summary>
    private static WebProxy CreateProxy(string proxyUrl)
    {
        var uri = new Uri(proxyUrl.Replace("socks5h://", "socks5://", StringComparison.Ordinal));
        if (uri.UserInfo.Length == 0)
        {
            return new WebProxy(uri);
        }
        var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
        var password = separator < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
        return new WebProxy(new UriBuilder(uri) { UserName = "", Password = "" }.Uri) { Credentials = new NetworkCredential(user, password) };
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }
    }
}

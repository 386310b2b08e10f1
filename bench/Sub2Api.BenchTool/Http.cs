using System.Net;
using System.Net.Http.Headers;

namespace Sub2Api.BenchTool;

internal static class Http
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>A client with no proxy, no decompression, no connection limit and no overall timeout.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        UseCookies = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static HttpRequestMessage Post(Uri url, string? key, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Version = HttpVersion.Version11 };
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        }
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return request;
    }
}

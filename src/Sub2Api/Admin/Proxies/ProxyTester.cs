using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Security;

namespace Sub2Api.Admin.Proxies;

/// <summary>The answer of <c>POST /proxies/{id}/test</c>: where the proxy exits and how long one request through it took.</summary>
internal sealed record ProxyTestResult(
    bool Success,
    string Message,
    long? LatencyMs = null,
    string? IpAddress = null,
    string? City = null,
    string? Region = null,
    string? Country = null,
    string? CountryCode = null);

/// <summary>
/// Sends one GET through a proxy to an IP-echo service (<c>Proxies:TestUrl</c>, ip-api.com's JSON by default, as the
/// original) and reads the exit address from its answer. Every failure is a result, never an exception: a dead
/// proxy is the expected outcome of a test, not a server error. Messages never carry the proxy's credentials.
/// </summary>
internal sealed class ProxyTester(IConfiguration configuration, SecretProtector protector)
{
    public const string DefaultTestUrl = "http://ip-api.com/json/?lang=zh-CN";
    private const int MaxBodyBytes = 1024 * 1024;

    private string TestUrl => configuration["Proxies:TestUrl"] is { Length: > 0 } url ? url : DefaultTestUrl;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Proxies:TestTimeoutSeconds", 10), 1, 120));

    public async Task<ProxyTestResult> TestAsync(Proxy proxy, CancellationToken ct)
    {
        // A fresh handler per test: a test must open a new tunnel, never reuse a pooled one that hides a dead proxy.
        using var handler = new SocketsHttpHandler
        {
            UseProxy = true,
            Proxy = ProxyUrls.ToWebProxy(ProxyUrls.Build(proxy, protector)),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = Timeout,
            ActivityHeadersPropagator = null,
        };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(TestUrl, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var latency = Math.Max(1, (long)Math.Round(watch.Elapsed.TotalMilliseconds));
            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                return new ProxyTestResult(false, "proxy authentication failed (407): check the username and password", latency);
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new ProxyTestResult(false, $"request failed with status: {(int)response.StatusCode}", latency);
            }
            var body = await ReadCappedAsync(response, timeout.Token);
            return body is null
                ? new ProxyTestResult(false, $"the IP-echo answer is larger than {MaxBodyBytes} bytes", latency)
                : Parse(body, latency);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProxyTestResult(false, $"proxy test timed out after {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return new ProxyTestResult(false, "proxy connection failed: " + Describe(e));
        }
        catch (IOException e)
        {
            return new ProxyTestResult(false, "proxy connection failed: " + e.Message);
        }
    }

    private static string Describe(HttpRequestException e)
    {
        var inner = e.InnerException?.Message;
        return string.IsNullOrEmpty(inner) || e.Message.Contains(inner, StringComparison.Ordinal) ? e.Message : $"{e.Message} ({inner})";
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads ip-api.com's fields (<c>query</c>, <c>regionName</c>, <c>countryCode</c>, <c>status</c>) and the common
    /// alternatives of other echo services (<c>ip</c>, <c>origin</c>, <c>region</c>, <c>country_code</c>).
    /// </summary>
    internal static ProxyTestResult Parse(byte[] body, long latency)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return new ProxyTestResult(false, "the IP-echo answer is not JSON", latency);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ProxyTestResult(false, "the IP-echo answer is not a JSON object", latency);
        }
        if (Text(root, "status") is { } status && !status.Equals("success", StringComparison.OrdinalIgnoreCase))
        {
            return new ProxyTestResult(false, "ip-api request failed: " + (Text(root, "message") ?? status), latency);
        }
        var ip = Text(root, "query") ?? Text(root, "ip") ?? Text(root, "origin");
        if (ip is null)
        {
            return new ProxyTestResult(false, "the IP-echo answer names no IP address", latency);
        }
        return new ProxyTestResult(true, "Proxy is accessible", latency, ip, Text(root, "city"),
            Text(root, "regionName") ?? Text(root, "region"), Text(root, "country"),
            Text(root, "countryCode") ?? Text(root, "country_code"));
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}

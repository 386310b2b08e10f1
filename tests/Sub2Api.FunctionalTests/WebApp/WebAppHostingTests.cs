using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.WebApp;

/// <summary>
/// The built web app (the gateway's wwwroot, copied into this project's output by the build) served at "/":
/// the app's pages get index.html uncached, hashed assets are cached for a year and compressed, and the API
/// families keep their own answers.
/// </summary>
public sealed partial class WebAppHostingTests(WebAppHostingTests.SharedApp shared) : IClassFixture<WebAppHostingTests.SharedApp>
{
    /// <summary>One gateway for the read-only checks of this class.</summary>
    public sealed class SharedApp : IAsyncDisposable
    {
        public Sub2ApiFactory App { get; } = new();

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    private readonly HttpClient _client = shared.App.CreateClient();

    private static string BuiltIndex => Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html");

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/users")]
    [InlineData("/dashboard")]
    [InlineData("/login?redirect=%2Fkeys")]
    public async Task AppPages_AnswerIndexHtml_NeverCached(string path)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(await File.ReadAllTextAsync(BuiltIndex, TestContext.Current.CancellationToken), body);
        Assert.Contains("<div id=\"app\">", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashedAsset_IsCachedForAYear()
    {
        var asset = await EntryScriptAsync();
        using var response = await _client.GetAsync(asset, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", asset.TrimStart('/')), TestContext.Current.CancellationToken);
        Assert.Equal(onDisk, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task HashedAsset_IsCompressed_WhenTheClientAcceptsIt(string encoding)
    {
        var asset = await EntryScriptAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, asset);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var compressed = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", asset.TrimStart('/')), TestContext.Current.CancellationToken);
        Assert.True(compressed.Length < onDisk.Length, $"{encoding}: {compressed.Length} bytes, the file has {onDisk.Length}");
        Assert.Equal(onDisk, Decompress(compressed, encoding));
    }

    [Theory]
    [InlineData("/assets/missing.js")]
    [InlineData("/assets/index-00000000.css")]
    [InlineData("/missing.png")]
    public async Task MissingFiles_Are404_NotTheApp(string path)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ApiFamilies_KeepTheirOwn404s()
    {
        var ct = TestContext.Current.CancellationToken;

        using var management = await _client.GetAsync("/api/v1/nope", ct);
        Assert.Equal(HttpStatusCode.NotFound, management.StatusCode);
        using (var json = JsonDocument.Parse(await management.Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal(404, json.RootElement.GetProperty("code").GetInt32());
            Assert.Equal("NOT_FOUND", json.RootElement.GetProperty("reason").GetString());
        }

        using var gateway = await _client.GetAsync("/v1/nope", ct);
        Assert.Equal(HttpStatusCode.NotFound, gateway.StatusCode);
        using (var json = JsonDocument.Parse(await gateway.Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
            Assert.Equal("not_found_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        }

        using var health = await _client.GetAsync("/health/x", ct);
        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
        Assert.NotEqual("text/html", health.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<div id=\"app\">", await health.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyGetAndHead_AreServedTheApp()
    {
        var ct = TestContext.Current.CancellationToken;
        using var post = await _client.PostAsync("/dashboard", new StringContent("{}", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("<div id=\"app\">", await post.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dashboard"), ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("no-cache", head.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task WithoutABuiltApp_TheRootExplainsHowToBuildIt()
    {
        var emptyRoot = Directory.CreateTempSubdirectory("sub2api-empty-wwwroot-").FullName;
        try
        {
            await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["WebApp:Root"] = emptyRoot });
            using var client = app.CreateClient();
            foreach (var path in new[] { "/", "/admin/users" })
            {
                using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.Contains("Node.js", body, StringComparison.Ordinal);
                Assert.Contains("/api/v1", body, StringComparison.Ordinal);
            }
            using var asset = await client.GetAsync("/assets/index.js", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
        }
        finally
        {
            Directory.Delete(emptyRoot, recursive: true);
        }
    }

    /// <summary>The entry script index.html loads: a real hashed file of this build (its name changes with every change to the app).</summary>
    private static async Task<string> EntryScriptAsync()
    {
        Assert.True(File.Exists(BuiltIndex), $"{BuiltIndex} is missing: the gateway's build should have built web/ and copied it here");
        var match = EntryScript().Match(await File.ReadAllTextAsync(BuiltIndex, TestContext.Current.CancellationToken));
        Assert.True(match.Success, "index.html loads no /assets/*.js");
        return match.Groups[1].Value;
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br"
            ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [GeneratedRegex("<script type=\"module\" crossorigin src=\"(/assets/[^\"]+\\.js)\"")]
    private static partial Regex EntryScript();
}

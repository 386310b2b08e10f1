using System.Net;
using System.Net.Http.Headers;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary><c>/metrics</c>: guarded by <c>Metrics:Token</c> when set, absent with <c>Metrics:Enabled=false</c>.</summary>
public sealed class MetricsEndpointTests
{
    private const string Token = "scrape-token-4c2d9e";

    [Fact]
    public async Task WithAToken_ScrapesWithoutOrWithAWrongBearerAre401_AndTheRightOneGetsPrometheusText()
    {
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["Metrics:Token"] = Token });
        using var http = app.CreateClient();

        using (var none = await http.GetAsync("/metrics", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.DoesNotContain("# TYPE", await none.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        foreach (var wrong in new[] { "Bearer wrong-token", "Bearer " + Token + "x", Token, "Basic " + Token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.TryAddWithoutValidation("Authorization", wrong);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var scraped = await http.SendAsync(right, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Equal("text/plain", scraped.Content.Headers.ContentType?.MediaType);
        var text = await scraped.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
        Assert.Contains("sub2api_usage_journal_backlog", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAToken_MetricsAreOpen()
    {
        await using var app = new Sub2ApiFactory();
        using var http = app.CreateClient();
        using var scraped = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE ", await scraped.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_MetricsAreNotServed()
    {
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });
        using var http = app.CreateClient();
        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
        Assert.DoesNotContain("sub2api_", body, StringComparison.Ordinal);
        Assert.NotEqual("text/plain", response.Content.Headers.ContentType?.MediaType);
    }
}

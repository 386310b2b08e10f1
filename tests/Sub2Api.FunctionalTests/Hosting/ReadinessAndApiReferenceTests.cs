using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sub2Api.Billing;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Hosting;

/// <summary>
/// <c>/health/ready</c> (what a load balancer or a Kubernetes readiness probe asks), and the management API's OpenAPI
/// document and reference page.
/// </summary>
public sealed class ReadinessAndApiReferenceTests
{
    [Fact]
    public async Task Ready_NamesEachCheck_AndIsHealthyOnAFreshGateway()
    {
        await using var app = new Sub2ApiFactory();
        using var response = await app.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("usage_writer").GetProperty("status").GetString());
        // Single-node mode has no Redis to check.
        Assert.False(checks.TryGetProperty("redis", out _));
    }

    [Fact]
    public async Task Ready_Is503_WhenTheUsageWriterHasStopped()
    {
        await using var app = new Sub2ApiFactory();
        var client = app.CreateClient();
        var writer = app.Services.GetServices<IHostedService>().OfType<UsageWriterService>().Single();

        await writer.StopAsync(TestContext.Current.CancellationToken);

        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("unhealthy", body.RootElement.GetProperty("checks").GetProperty("usage_writer").GetProperty("status").GetString());
        // Liveness is not readiness: /health still answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheManagementApi_WithBearerAuth()
    {
        await using var app = new Sub2ApiFactory();
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = root.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.Contains("/api/v1/admin/accounts", paths);
        Assert.Contains("/api/v1/keys", paths);
        // Only the management API: the gateway routes speak the upstreams' APIs.
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p, StringComparison.Ordinal));
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task ReferencePage_IsServedWithItsScripts_FromTheGatewayItself()
    {
        await using var app = new Sub2ApiFactory();
        var client = app.CreateClient();

        var page = await client.GetStringAsync("/api-docs/", TestContext.Current.CancellationToken);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", page, StringComparison.Ordinal);   // no CDN: everything from this host
        using var script = await client.GetAsync("/api-docs/scalar.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 100_000);
    }
}

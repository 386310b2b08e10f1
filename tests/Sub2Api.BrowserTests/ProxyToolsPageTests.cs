using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>A gateway whose proxy test asks a local IP echo, plus a real local proxy (with a password) to test.</summary>
public sealed class ProxyToolsGateway : IAsyncLifetime
{
    public const string ProxyPassword = "browser-proxy-pa55";

    public FakeIpEcho Echo { get; private set; } = null!;
    public TestHttpProxy Proxy { get; private set; } = null!;
    public BrowserGateway Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Echo = await FakeIpEcho.StartAsync();
        Proxy = TestHttpProxy.Start("alice", ProxyPassword);
        Gateway = new BrowserGateway(Echo.Settings);
        await Gateway.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
        if (Echo is not null)
        {
            await Echo.DisposeAsync();
        }
    }
}

/// <summary>
/// The proxies page: paste two proxy lines into the batch dialog, see both listed, test the real one and read its
/// latency and exit address from the row.
/// </summary>
public sealed class ProxyToolsPageTests(ChromiumFixture chromium, ProxyToolsGateway tools) : IClassFixture<ProxyToolsGateway>
{
    [Fact]
    public async Task BatchAddTwoProxies_ThenTestOne_ShowsLatencyAndExitIp()
    {
        var port = tools.Proxy.Port;
        await using var app = await AppSession.OpenAsync(chromium, tools.Gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/proxies");
        await Expect(app.ByTest("page-admin-proxies")).ToBeVisibleAsync();

        await app.ByTest("proxy-batch-add").ClickAsync();
        await app.ByTest("proxy-batch-lines").FillAsync(
            $"http://alice:{ProxyToolsGateway.ProxyPassword}@127.0.0.1:{port}\nsocks5://10.255.0.1:1080\n");
        await Expect(app.ByTest("proxy-batch-parsed")).ToContainTextAsync("2");
        await app.ByTest("proxy-batch-submit").ClickAsync();

        var table = app.ByTest("proxy-table");
        var row = table.Locator(".el-table__row", new() { HasText = $"127.0.0.1:{port}" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(table.Locator(".el-table__row", new() { HasText = "10.255.0.1:1080" })).ToBeVisibleAsync();
        await Expect(table).Not.ToContainTextAsync(ProxyToolsGateway.ProxyPassword);

        await row.Locator("[data-test=\"proxy-test\"]").ClickAsync();
        var result = row.Locator("[data-test=\"proxy-test-result\"]");
        await Expect(result).ToContainTextAsync(FakeIpEcho.ExitIp);
        await Expect(result).ToContainTextAsync(" ms");
        await Expect(result).ToContainTextAsync(FakeIpEcho.CountryCode);
        Assert.True(tools.Proxy.Requests >= 1);
        await app.ScreenshotAsync("admin-proxies-tested");
        app.AssertNoErrors();
    }
}

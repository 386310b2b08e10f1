using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;

[assembly: AssemblyFixture(typeof(ChromiumFixture))]

namespace Sub2Api.BrowserTests.Harness;

/// <summary>
/// One headless Chromium for the whole run (each test gets its own context: separate storage and cookies). The
/// system's Chromium (<c>apt-get install chromium</c>) is driven by the Playwright package's bundled driver: no
/// browser download. <c>SUB2API_CHROMIUM</c> names another binary.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("SUB2API_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium not found at {ExecutablePath}: install it (apt-get install -y chromium; ./test.sh does) or set SUB2API_CHROMIUM.");
        }
        // Pages wait on conditions (Expect's auto-retry), not sleeps; the deadline is generous for a loaded 2-core machine.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root (CI) needs --no-sandbox; the rest keeps Chromium from phoning home during the tests.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}

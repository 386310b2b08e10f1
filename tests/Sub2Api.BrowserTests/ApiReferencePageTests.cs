using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The management API's reference page (<c>/api-docs/</c>) in a real browser: it renders the gateway's own OpenAPI
/// document from scripts the gateway serves (no CDN on this machine, so a remote script would fail here), with no
/// console errors.
/// </summary>
public sealed class ApiReferencePageTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [Fact]
    public async Task ReferencePage_ListsTheManagementRoutes()
    {
        await using var app = await AppSession.OpenAsync(chromium, gateway);

        await app.GotoAsync("/api-docs/");

        await Expect(app.Page.GetByText("Sub2Api management API").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(app.Page.GetByText("/api/v1/auth/login").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await app.ScreenshotAsync("api-reference");
    }
}

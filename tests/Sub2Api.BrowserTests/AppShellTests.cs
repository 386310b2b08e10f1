using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The app's shell in a real browser: logging in and out through the form, who sees the admin menu, the language
/// switch, the phone-width drawer and the not-found page.
/// </summary>
public sealed class AppShellTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    private Task<AppSession> OpenAsync(int width = AppSession.DesktopWidth, int height = AppSession.DesktopHeight) =>
        AppSession.OpenAsync(chromium, gateway, width, height);

    [Fact]
    public async Task TheSession_CatchesConsoleErrors_AndUncaughtPageErrors()
    {
        var app = await OpenAsync();
        try
        {
            await app.GotoAsync("/login");
            await app.Page.EvaluateAsync("() => { console.error('boom from the test'); setTimeout(() => { throw new Error('uncaught from the test') }) }");
            await Sub2Api.FunctionalTests.Infrastructure.RelayScenario.WaitUntilAsync(() => Task.FromResult(app.ErrorCount >= 2),
                TimeSpan.FromSeconds(20), "both errors reported by the browser");

            var failure = Assert.ThrowsAny<Exception>(app.AssertNoErrors);
            Assert.Contains("console error: boom from the test", failure.Message, StringComparison.Ordinal);
            Assert.Contains("page error: ", failure.Message, StringComparison.Ordinal);
            Assert.Contains("uncaught from the test", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            app.ExpectConsoleError("from the test");
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Admin_LogsInThroughTheForm_AndLandsOnTheAdminDashboard()
    {
        await using var app = await OpenAsync();

        await app.GotoAsync("/");
        await app.ExpectPathAsync("/login");   // not logged in: the app sends every page to the login form
        await app.SubmitLoginAsync(Sub2Api.FunctionalTests.Infrastructure.Sub2ApiFactory.AdminEmail,
            Sub2Api.FunctionalTests.Infrastructure.Sub2ApiFactory.AdminPassword);

        await app.ExpectPathAsync("/admin/dashboard");
        await Expect(app.ByTest("nav-admin")).ToBeVisibleAsync();
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("Users");
        await app.ScreenshotAsync("admin-dashboard");

        // Opened afresh (the user is loaded from the stored session), "/" is still the admin's dashboard.
        await app.GotoAsync("/");
        await app.ExpectPathAsync("/admin/dashboard");
    }

    [Fact]
    public async Task WrongPassword_ShowsTheError_AndStaysOnTheLoginPage()
    {
        await using var app = await OpenAsync();
        // Chromium logs the 401 of the login request itself; that one is expected.
        app.ExpectConsoleError("status of 401");

        await app.GotoAsync("/login");
        await app.SubmitLoginAsync(Sub2Api.FunctionalTests.Infrastructure.Sub2ApiFactory.AdminEmail, "not-the-password");

        await Expect(app.ByTest("login-error")).ToBeVisibleAsync();
        await Expect(app.ByTest("login-error")).Not.ToBeEmptyAsync();
        await app.ExpectPathAsync("/login");
        await app.ScreenshotAsync("login-wrong-password");
    }

    [Fact]
    public async Task PlainUser_SeesNoAdminMenu_AndIsSentFromAdminPagesToTheDashboard()
    {
        var (email, password, _) = await gateway.CreateUserAsync("plain");
        await using var app = await OpenAsync();

        await app.LoginAsync(email, password);
        await app.ExpectPathAsync("/dashboard");
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("API keys");
        await Expect(app.ByTest("nav-admin")).ToHaveCountAsync(0);

        await app.GotoAsync("/admin/users");
        await app.ExpectPathAsync("/dashboard");
        await Expect(app.ByTest("nav-admin")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task LanguageSwitch_TurnsTheMenuChinese_AndSurvivesAReload()
    {
        await using var app = await OpenAsync();
        await app.LoginAsAdminAsync();
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("Users");

        await app.ByTest("locale-switch").ClickAsync();
        await app.ByTest("locale-zh-CN").ClickAsync();

        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("用户管理");
        await Expect(app.ByTest("nav-menu")).Not.ToContainTextAsync("Users");
        await app.Page.ReloadAsync();
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("用户管理");
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("仪表盘");
        await app.ScreenshotAsync("admin-dashboard-zh");
    }

    [Fact]
    public async Task PhoneWidth_ShowsTheDrawerToggle_InsteadOfTheSideMenu()
    {
        await using var app = await OpenAsync(390, 844);
        await app.LoginAsAdminAsync();
        await app.ExpectPathAsync("/admin/dashboard");

        await Expect(app.ByTest("nav-toggle")).ToBeVisibleAsync();
        await Expect(app.ByTest("nav-menu")).Not.ToBeVisibleAsync();
        await app.ScreenshotAsync("phone-admin-dashboard");

        await app.ByTest("nav-toggle").ClickAsync();
        var menu = app.ByTest("nav-menu");
        await Expect(menu).ToBeVisibleAsync();
        await app.ScreenshotAsync("phone-drawer-open");
        await menu.GetByText("Groups", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await app.ExpectPathAsync("/admin/groups");
        await Expect(menu).Not.ToBeVisibleAsync();   // navigating closes the drawer
    }

    [Fact]
    public async Task UnknownPath_ShowsTheNotFoundPage()
    {
        await using var app = await OpenAsync();
        await app.LoginAsAdminAsync();

        await app.GotoAsync("/no/such/page");
        await Expect(app.ByTest("not-found")).ToBeVisibleAsync();
        await app.ExpectPathAsync("/no/such/page");
        await app.ScreenshotAsync("not-found");
    }

    [Fact]
    public async Task Logout_ReturnsToTheLoginPage_AndTheSessionIsGone()
    {
        await using var app = await OpenAsync();
        await app.LoginAsAdminAsync();
        await app.ExpectPathAsync("/admin/dashboard");

        await app.ByTest("user-menu").ClickAsync();
        await app.ByTest("logout").ClickAsync();
        await app.ExpectPathAsync("/login");

        // The stored session is gone: a page that needs a login sends back to the form, with the way back.
        await app.GotoAsync("/admin/users");
        await Expect(app.Page).ToHaveURLAsync(new Regex("/login\\?redirect=(%2F|/)admin(%2F|/)users$"));
        await Expect(app.ByTest("login-submit")).ToBeVisibleAsync();
    }
}

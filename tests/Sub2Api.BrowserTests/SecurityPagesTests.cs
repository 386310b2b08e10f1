using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// A user turns on two-factor authentication on the profile page (the test plays the authenticator app: it reads the
/// secret the page shows and computes the code), logs out, and logs back in through the login's 2FA step.
/// </summary>
public sealed class SecurityPagesTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [Fact]
    public async Task UserEnablesTotpOnTheProfile_AndTheNextLoginAsksForTheCode()
    {
        var admin = await gateway.AdminApiAsync();
        Assert.Equal(0, (await admin.PutAsync("/api/v1/admin/settings", new { totp_enabled = true })).Body.GetProperty("code").GetInt32());
        var (email, password, _) = await gateway.CreateUserAsync("totp");

        await using var app = await AppSession.OpenAsync(chromium, gateway);
        await app.LoginAsync(email, password);
        await app.GotoAsync("/profile");
        await Expect(app.ByTest("page-profile")).ToBeVisibleAsync();
        await Expect(app.ByTest("totp-status")).ToHaveTextAsync("Not enabled");

        await app.ByTest("totp-password").FillAsync(password);
        await app.ByTest("totp-start").ClickAsync();
        var secret = (await app.ByTest("totp-secret").InnerTextAsync()).Trim();
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        await Expect(app.ByTest("totp-url")).ToContainTextAsync("otpauth://totp/");
        await app.ScreenshotAsync("profile-totp-setup");

        await app.ByTest("totp-code").FillAsync(TestTotp.Code(secret, DateTimeOffset.UtcNow));
        await app.ByTest("totp-enable").ClickAsync();
        await Expect(app.ByTest("totp-status")).ToHaveTextAsync("Enabled");
        await Expect(app.ByTest("totp-disable")).ToBeVisibleAsync();

        // Log out everywhere ends this session too: the app is back at the login.
        await app.ByTest("revoke-all").ClickAsync();
        await app.Page.Locator(".el-message-box__btns .el-button--primary").ClickAsync();
        await Expect(app.ByTest("login-submit")).ToBeVisibleAsync();

        await app.SubmitLoginAsync(email, password);
        await Expect(app.ByTest("login-2fa")).ToBeVisibleAsync();
        await app.ScreenshotAsync("login-2fa-step");
        // The code that enabled TOTP is used up; the next step's code is inside the window and new.
        await app.ByTest("login-2fa-code").FillAsync(TestTotp.Code(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        await app.ByTest("login-2fa-submit").ClickAsync();
        await app.ExpectPathAsync("/dashboard");
        app.AssertNoErrors();
    }
}

using System.Text.RegularExpressions;
using Sub2Api.BrowserTests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// A balance code from end to end: the admin generates it on the redeem-codes page and sees it listed; a user
/// redeems it on the Redeem page, is told what was added, sees the header balance grow and the code in the history.
/// </summary>
public sealed partial class RedeemCodesPageTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [GeneratedRegex("[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}")]
    private static partial Regex CodeShape();

    [Fact]
    public async Task AdminGeneratesABalanceCode_UserRedeemsIt_AndTheBalanceGrows()
    {
        string code;
        await using (var admin = await AppSession.OpenAsync(chromium, gateway))
        {
            await admin.LoginAsAdminAsync();
            await admin.GotoAsync("/admin/redeem");
            await Expect(admin.ByTest("page-admin-redeem")).ToBeVisibleAsync();
            await Expect(admin.ByTest("redeem-stats")).ToBeVisibleAsync();

            await admin.ByTest("redeem-generate").ClickAsync();
            await admin.ByTest("generate-value").Locator("input").FillAsync("12.5");
            await admin.ByTest("generate-notes").FillAsync("browser test");
            await admin.ByTest("generate-submit").ClickAsync();
            var generated = admin.ByTest("generated-codes-text");
            await Expect(generated).ToHaveValueAsync(CodeShape());
            code = await generated.InputValueAsync();
            await admin.ByTest("generated-copy").ClickAsync();
            await admin.ScreenshotAsync("admin-redeem-generated");
            await admin.Page.Keyboard.PressAsync("Escape");

            await Expect(admin.ByTest("redeem-table")).ToContainTextAsync(code);
            await Expect(admin.ByTest("redeem-table")).ToContainTextAsync("$12.50");
            await admin.ScreenshotAsync("admin-redeem-codes");
            admin.AssertNoErrors();
        }

        var (email, password, _) = await gateway.CreateUserAsync("redeemer", balance: 1m);
        await using var user = await AppSession.OpenAsync(chromium, gateway);
        await user.LoginAsync(email, password);
        await user.GotoAsync("/redeem");
        await Expect(user.ByTest("page-redeem")).ToBeVisibleAsync();
        await Expect(user.ByTest("header-balance")).ToHaveTextAsync("$1.00");

        await user.ByTest("redeem-input").FillAsync(code);
        await user.ByTest("redeem-submit").ClickAsync();
        await Expect(user.ByTest("redeem-result")).ToContainTextAsync("$12.50");
        await Expect(user.ByTest("header-balance")).ToHaveTextAsync("$13.50");
        await Expect(user.ByTest("redeem-history")).ToContainTextAsync(code);
        await user.ScreenshotAsync("user-redeem");
        user.AssertNoErrors();
    }
}

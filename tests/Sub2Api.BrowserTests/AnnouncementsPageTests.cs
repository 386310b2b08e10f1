using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// An admin publishes an announcement for users with a balance of at least $5 in the UI; a user with $10 sees the
/// bell's unread badge, opens the announcement from the bell (its text with its line breaks), and the badge clears.
/// A user with $1 is not targeted and sees no badge.
/// </summary>
public sealed class AnnouncementsPageTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [Fact]
    public async Task AdminPublishes_TargetedUserSeesTheBadge_OpensIt_AndTheBadgeClears()
    {
        var title = "Maintenance " + Guid.NewGuid().ToString("N")[..6];
        var (email, password, _) = await gateway.CreateUserAsync("reader", balance: 10m);
        var (poorEmail, poorPassword, _) = await gateway.CreateUserAsync("poor", balance: 1m);

        await using (var admin = await AppSession.OpenAsync(chromium, gateway))
        {
            await admin.LoginAsAdminAsync();
            await admin.GotoAsync("/admin/announcements");
            await Expect(admin.ByTest("page-admin-announcements")).ToBeVisibleAsync();
            await admin.ByTest("announcement-create").ClickAsync();
            await admin.ByTest("announcement-form-title").FillAsync(title);
            await admin.ByTest("announcement-form-content").FillAsync("First line\nSecond line");
            await PickAsync(admin, admin.ByTest("announcement-form-status"), "Active");
            await admin.ByTest("targeting-add-group").ClickAsync();
            await PickAsync(admin, admin.ByTest("targeting-operator"), "≥");
            await admin.ByTest("targeting-value").Locator("input").FillAsync("5");
            await admin.ScreenshotAsync("admin-announcement-form");
            await admin.ByTest("announcement-form-submit").ClickAsync();

            var row = admin.ByTest("announcement-table").Locator(".el-table__row", new() { HasText = title });
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.Locator("[data-test=\"announcement-status\"]")).ToHaveTextAsync("Active");
            await Expect(row).ToContainTextAsync("1 rule group");
            await admin.ScreenshotAsync("admin-announcements");
        }

        await using (var poor = await AppSession.OpenAsync(chromium, gateway))
        {
            await poor.LoginAsync(poorEmail, poorPassword);
            await poor.ByTest("announcement-bell").ClickAsync();
            await Expect(poor.ByTest("announcement-list")).ToContainTextAsync("No announcements");
            await Expect(poor.ByTest("announcement-bell-badge").Locator("sup")).ToBeHiddenAsync();
        }

        await using var user = await AppSession.OpenAsync(chromium, gateway);
        await user.LoginAsync(email, password);
        var badge = user.ByTest("announcement-bell-badge").Locator("sup");
        await Expect(badge).ToHaveTextAsync("1");
        await user.ByTest("announcement-bell").ClickAsync();
        await user.ByTest("announcement-item").Filter(new() { HasText = title }).ClickAsync();
        var dialog = user.Page.Locator(".el-dialog", new() { HasText = title });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(user.ByTest("announcement-content")).ToHaveTextAsync("First line\nSecond line");
        await user.ScreenshotAsync("announcement-opened");
        await Expect(badge).ToBeHiddenAsync();
        await dialog.Locator(".el-dialog__headerbtn").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // The read is stored: a fresh page load still shows no badge.
        await user.Page.ReloadAsync();
        await Expect(user.ByTest("announcement-bell")).ToBeVisibleAsync();
        await user.ByTest("announcement-bell").ClickAsync();
        await Expect(user.ByTest("announcement-item").Filter(new() { HasText = title })).ToBeVisibleAsync();
        await Expect(badge).ToBeHiddenAsync();
    }

    private static async Task PickAsync(AppSession session, ILocator select, string option)
    {
        await select.ClickAsync();
        await session.Page.Locator(".el-select-dropdown__item:visible", new PageLocatorOptions { HasText = option }).ClickAsync();
    }
}

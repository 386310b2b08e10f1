using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// A reseller sells a plan: the admin assigns a subscription group to a user on the subscriptions page (finding the
/// user by e-mail), sees it in the table and extends it by five days, and the user then sees the plan on their own page with a progress bar per
/// window: the daily one showing what was spent against its cap, the monthly one unlimited.
/// </summary>
public sealed class SubscriptionsPageTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [Fact]
    public async Task AdminAssignsAPlan_TheUserSeesItWithItsProgressBars()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var plan = $"Pro plan {suffix}";
        var admin = await gateway.AdminApiAsync();
        _ = (await admin.PostAsync("/api/v1/admin/groups", new
        {
            name = plan, platform = "anthropic", subscription_type = "subscription",
            daily_limit_usd = 10m, weekly_limit_usd = 50m, default_validity_days = 30,
        })).Data;
        var (email, password, userId) = await gateway.CreateUserAsync("subscriber");

        await using (var console = await AppSession.OpenAsync(chromium, gateway))
        {
            await console.LoginAsAdminAsync();
            await console.GotoAsync("/admin/subscriptions");
            await Expect(console.ByTest("page-admin-subscriptions")).ToBeVisibleAsync();

            await console.ByTest("subscription-assign").ClickAsync();
            await console.ByTest("subscription-assign-user").ClickAsync();
            await console.Page.Keyboard.TypeAsync(email);
            await console.Page.Locator(".el-select-dropdown__item:visible", new PageLocatorOptions { HasText = email }).ClickAsync();
            await console.ByTest("subscription-assign-group").ClickAsync();
            await console.Page.Locator(".el-select-dropdown__item:visible", new PageLocatorOptions { HasText = plan }).ClickAsync();
            await console.ByTest("subscription-assign-notes").FillAsync("paid by invoice");
            await console.ScreenshotAsync("admin-subscriptions-assign");
            await console.ByTest("subscription-assign-submit").ClickAsync();

            var row = console.ByTest("subscription-table").Locator(".el-table__row", new() { HasText = email });
            await Expect(row).ToBeVisibleAsync();
            await Expect(row).ToContainTextAsync(plan);
            await Expect(row.Locator("[data-test=\"subscription-status\"]").First).ToHaveTextAsync("Active");
            await Expect(row).ToContainTextAsync("29 days left");
            await console.ScreenshotAsync("admin-subscriptions");

            // Five days more, from the row's Extend action.
            await row.Locator("[data-test=\"subscription-extend\"]").ClickAsync();
            await console.Page.Locator(".el-dialog .el-input-number input").FillAsync("5");
            await console.ByTest("subscription-extend-submit").ClickAsync();
            await Expect(row).ToContainTextAsync("34 days left");
        }

        // What the relay's billing would have recorded: $2.50 of the daily cap, spent in a window that began an hour ago.
        await gateway.App.WithDbAsync(async db =>
        {
            var subscription = await db.UserSubscriptions.SingleAsync(s => s.UserId == userId);
            subscription.DailyWindowStart = subscription.WeeklyWindowStart = subscription.MonthlyWindowStart = DateTime.UtcNow.AddHours(-1);
            subscription.DailyUsageUsd = subscription.WeeklyUsageUsd = subscription.MonthlyUsageUsd = 2.5m;
            await db.SaveChangesAsync();
        });

        await using var session = await AppSession.OpenAsync(chromium, gateway);
        await session.LoginAsync(email, password);
        await session.GotoAsync("/subscriptions");
        var card = session.ByTest("subscription-card");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card.Locator("[data-test=\"subscription-card-group\"]")).ToHaveTextAsync(plan);
        await Expect(card.Locator("[data-test=\"subscription-card-days\"]")).ToContainTextAsync("34 days left");
        var windows = card.Locator("[data-test=\"subscription-window\"]");
        await Expect(windows).ToHaveCountAsync(3);
        await Expect(windows.Nth(0).Locator("[data-test=\"subscription-window-amounts\"]")).ToHaveTextAsync("$2.50 / $10.00");
        await Expect(windows.Nth(0).Locator(".el-progress")).ToBeVisibleAsync();
        await Expect(windows.Nth(0)).ToContainTextAsync("Resets in 22h");
        await Expect(windows.Nth(1).Locator("[data-test=\"subscription-window-amounts\"]")).ToHaveTextAsync("$2.50 / $50.00");
        await Expect(windows.Nth(2).Locator("[data-test=\"subscription-window-amounts\"]")).ToHaveTextAsync("$2.50 / Unlimited");
        await Expect(windows.Nth(2).Locator(".el-progress")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("user-subscriptions");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The reseller's whole loop, in the web app: the admin creates a plan (a subscription group with a daily cap) on the
/// Groups page and sells it as a redeem code; a user redeems the code, sees the plan, and uses it through the gateway
/// until the daily cap stops them; the next day the cap has reset and the same key works again. (The next day is
/// simulated by moving the window's start a day back; the functional tier moves an injected clock instead.)
/// </summary>
public sealed partial class ResellerJourneyTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [GeneratedRegex("[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}")]
    private static partial Regex CodeShape();

    [Fact]
    public async Task APlanIsCreated_SoldAsACode_Redeemed_CappedForTheDay_AndResetTheNextDay()
    {
        var plan = $"Monthly {Guid.NewGuid().ToString("N")[..6]}";
        string code;
        await using (var admin = await AppSession.OpenAsync(chromium, gateway))
        {
            await admin.LoginAsAdminAsync();

            // 1. The plan: a subscription group capped at a millionth of a dollar a day (one request reaches it).
            await admin.GotoAsync("/admin/groups");
            await admin.ByTest("group-create").ClickAsync();
            await admin.ByTest("group-form-name").FillAsync(plan);
            await admin.ByTest("group-form-billing").GetByText("Subscription").ClickAsync();
            await admin.ByTest("group-form-daily-limit").FillAsync("0.000001");
            await admin.ByTest("group-form-submit").ClickAsync();
            await Expect(admin.ByTest("group-table")).ToContainTextAsync(plan);

            // 2. Sold as a 30-day subscription code.
            await admin.GotoAsync("/admin/redeem");
            await admin.ByTest("redeem-generate").ClickAsync();
            await admin.ByTest("generate-type").ClickAsync();
            await admin.Page.Locator(".el-select-dropdown__item:visible", new PageLocatorOptions { HasText = "Subscription" }).ClickAsync();
            await admin.ByTest("generate-group").ClickAsync();
            await admin.Page.Locator(".el-select-dropdown__item:visible", new PageLocatorOptions { HasText = plan }).ClickAsync();
            await admin.ByTest("generate-submit").ClickAsync();
            var generated = admin.ByTest("generated-codes-text");
            await Expect(generated).ToHaveValueAsync(CodeShape());
            code = await generated.InputValueAsync();
            await admin.ScreenshotAsync("reseller-code");
            admin.AssertNoErrors();
        }

        // The plan needs an upstream account to serve it (set up like any account; not what this test is about).
        var adminApi = await gateway.AdminApiAsync();
        var groups = (await adminApi.GetAsync("/api/v1/admin/groups/all")).Data;
        var groupId = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == plan).GetProperty("id").GetInt64();
        await adminApi.PostAsync("/api/v1/admin/accounts", new
        {
            name = $"upstream-{plan}", platform = "anthropic", type = "apikey", group_ids = new[] { groupId },
            credentials = new { api_key = $"sk-fake-ok-{Guid.NewGuid():N}", base_url = gateway.Upstream.BaseUrl },
        });

        // 3. A user redeems the code and sees the plan.
        var (email, password, userId) = await gateway.CreateUserAsync("buyer");
        await using var user = await AppSession.OpenAsync(chromium, gateway);
        await user.LoginAsync(email, password);
        await user.GotoAsync("/redeem");
        await user.ByTest("redeem-input").FillAsync(code);
        await user.ByTest("redeem-submit").ClickAsync();
        await Expect(user.ByTest("redeem-result")).ToBeVisibleAsync();
        await user.GotoAsync("/subscriptions");
        var card = user.ByTest("subscription-card");
        await Expect(card.Locator("[data-test=\"subscription-card-group\"]")).ToHaveTextAsync(plan);
        var daily = card.Locator("[data-test=\"subscription-window\"]").Nth(0).Locator("[data-test=\"subscription-window-amounts\"]");
        await Expect(daily).ToHaveTextAsync("$0.00 / $0.000001");

        // 4. Through the gateway with a key bound to the plan: served until the day's cap is reached, then refused.
        var login = await gateway.Api().PostAsync("/api/v1/auth/login", new { email, password });
        var userApi = gateway.Api().WithToken(login.Data.GetProperty("access_token").GetString()!);
        var key = (await userApi.PostAsync("/api/v1/keys", new { name = "cli", group_id = groupId })).Data.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(key)).Status);
        await RelayScenario.WaitUntilAsync(async () => await gateway.App.WithDbAsync(db => db.UsageLogs.CountAsync(u => u.UserId == userId)) == 1,
            because: "the request's usage row is written");
        var (refused, body) = await SendAsync(key);
        Assert.Equal((HttpStatusCode)429, refused);
        Assert.Contains("limit", body, StringComparison.OrdinalIgnoreCase);

        await user.Page.ReloadAsync();
        await Expect(daily).Not.ToHaveTextAsync("$0.00 / $0.000001"); // the day's spend shows against the cap
        await user.ScreenshotAsync("reseller-capped");

        // 5. The next day: the daily window has passed, the page shows it empty and the key is served again.
        await gateway.App.WithDbAsync(async db =>
        {
            var subscription = await db.UserSubscriptions.SingleAsync(s => s.UserId == userId);
            subscription.DailyWindowStart = subscription.DailyWindowStart!.Value.AddDays(-1);
            await db.SaveChangesAsync(); // a tracked save: the relay's caches reload this subscription
        });
        await user.Page.ReloadAsync();
        await Expect(daily).ToHaveTextAsync("$0.00 / $0.000001");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(key)).Status);
        user.AssertNoErrors();
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string key)
    {
        using var client = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        client.DefaultRequestHeaders.Add("x-api-key", key);
        using var response = await client.PostAsJsonAsync("/v1/messages", new
        {
            model = "claude-sonnet-4-5", max_tokens = 64, messages = new[] { new { role = "user", content = $"hi {Guid.NewGuid():N}" } },
        });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The README's first steps, end to end in the browser: the admin creates a group, an upstream account (an API key
/// on the fake Anthropic API) and a user with a balance, all on the admin pages; the user creates a key on the keys
/// page, calls the gateway with it, and sees the request and its exact cost on the dashboard and the usage page; the
/// admin sees the same on the overview and the usage page. A screenshot of every main page along the way.
/// </summary>
public sealed class FirstStepsTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    /// <summary>The fake's fixed usage (1000 in, 500 out, 150 + 50 cache writes, 100 cache reads) at Sonnet 4.5 prices.</summary>
    private const string StandardCost = "$0.0113925";

    /// <summary>The same at the group's rate multiplier 1.5: what the user pays.</summary>
    private const string ActualCost = "$0.01708875";

    [Fact]
    public async Task AdminSetsUp_UserCreatesAKey_CallsTheGateway_AndBothSeeTheExactCost()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var groupName = $"claude-{suffix}";
        var accountName = $"upstream-{suffix}";
        var userEmail = $"alice-{suffix}@example.com";
        const string userPassword = "alice-password-1";

        // The admin's part, on the admin pages.
        await using var console = await AppSession.OpenAsync(chromium, gateway);
        await console.LoginAsAdminAsync();
        await console.ExpectPathAsync("/admin/dashboard");
        await Expect(console.ByTest("page-admin-dashboard")).ToBeVisibleAsync();
        await console.ScreenshotAsync("admin-dashboard-empty");

        await console.GotoAsync("/admin/groups");
        await console.ByTest("group-create").ClickAsync();
        await console.ByTest("group-form-name").FillAsync(groupName);
        await console.ByTest("group-form-rate").FillAsync("1.5");
        await console.ScreenshotAsync("admin-group-form");
        await console.ByTest("group-form-submit").ClickAsync();
        await Expect(console.ByTest("group-name").Filter(new() { HasText = groupName })).ToBeVisibleAsync();
        await console.ScreenshotAsync("admin-groups");

        await console.GotoAsync("/admin/accounts");
        await console.ByTest("account-create").ClickAsync();
        await console.ByTest("account-create-apikey").ClickAsync();
        await Expect(console.ByTest("account-form-dialog")).ToBeVisibleAsync();
        await console.ByTest("account-form-name").FillAsync(accountName);
        await console.ByTest("account-form-api-key").FillAsync($"sk-fake-ok-{suffix}");
        await console.ByTest("account-form-base-url").FillAsync(gateway.Upstream.BaseUrl);
        await PickAsync(console, "account-form-groups", groupName);
        await console.ByTest("account-form-name").ClickAsync();   // closes the multi-select's list, which stays open
        await console.ScreenshotAsync("admin-account-form");
        await console.ByTest("account-form-submit").ClickAsync();
        await Expect(console.ByTest("account-name").Filter(new() { HasText = accountName })).ToBeVisibleAsync();
        await console.ScreenshotAsync("admin-accounts");

        await console.GotoAsync("/admin/users");
        await console.ByTest("user-create").ClickAsync();
        await console.ByTest("user-form-email").FillAsync(userEmail);
        await console.ByTest("user-form-password").FillAsync(userPassword);
        await console.ByTest("user-form-balance").FillAsync("10");
        await console.ScreenshotAsync("admin-user-form");
        await console.ByTest("user-form-submit").ClickAsync();
        var userRow = console.Page.Locator("tr", new() { Has = console.ByTest("user-email").Filter(new() { HasText = userEmail }) });
        await Expect(userRow.Locator("[data-test=\"user-balance-value\"]")).ToHaveTextAsync("$10.00");
        await console.ScreenshotAsync("admin-users");

        // The user's part, on the user pages.
        await using var app = await AppSession.OpenAsync(chromium, gateway);
        await app.LoginAsync(userEmail, userPassword);
        await app.ExpectPathAsync("/dashboard");
        await Expect(app.ByTest("stat-balance")).ToContainTextAsync("$10.00");

        await app.GotoAsync("/keys");
        await Expect(app.ByTest("page-keys")).ToBeVisibleAsync();
        await app.ByTest("key-create").ClickAsync();
        await Expect(app.ByTest("key-form-dialog")).ToBeVisibleAsync();
        await app.ByTest("key-form-name").FillAsync("laptop");
        await PickAsync(app, "key-form-group", groupName);
        await app.ScreenshotAsync("user-key-form");
        await app.ByTest("key-form-submit").ClickAsync();

        var created = app.ByTest("key-created-value");
        await Expect(created).ToHaveTextAsync(new Regex("^sk-[0-9a-f]{64}$"));
        var key = (await created.TextContentAsync())!.Trim();
        await app.ScreenshotAsync("user-key-created");
        await app.ByTest("key-created-close").ClickAsync();
        await Expect(app.ByTest("key-row-name").Filter(new() { HasText = "laptop" })).ToBeVisibleAsync();
        await app.ScreenshotAsync("user-keys");

        // The key works on the gateway, as any Anthropic client would use it.
        await CallTheGatewayAsync(key);

        await app.GotoAsync("/dashboard");
        await Expect(app.ByTest("stat-total-requests")).ToContainTextAsync("1");
        await Expect(app.ByTest("stat-total-cost")).ToContainTextAsync(ActualCost);
        await Expect(app.ByTest("stat-today-cost")).ToContainTextAsync(ActualCost);
        await Expect(app.ByTest("dashboard-recent-table")).ToContainTextAsync("claude-sonnet-4-5");
        await app.ScreenshotAsync("user-dashboard");

        await app.GotoAsync("/usage");
        await Expect(app.ByTest("usage-row-actual-cost")).ToHaveTextAsync(ActualCost);
        await Expect(app.ByTest("usage-row-cost")).ToHaveTextAsync(StandardCost);
        await Expect(app.ByTest("stat-usage-cost")).ToContainTextAsync(ActualCost);
        await Expect(app.ByTest("usage-table")).ToContainTextAsync("claude-sonnet-4-5");
        await Expect(app.ByTest("header-balance")).ToHaveTextAsync("$9.98291125");   // $10 less exactly that
        await app.ScreenshotAsync("user-usage");

        await app.GotoAsync("/profile");
        await Expect(app.ByTest("profile-email")).ToHaveTextAsync(userEmail);
        await Expect(app.ByTest("profile-balance")).ToHaveTextAsync("$9.98291125");
        await app.ScreenshotAsync("user-profile");

        // The admin sees the same request, at the same cost.
        await console.GotoAsync("/admin/dashboard");
        await Expect(console.ByTest("stat-today-cost")).ToContainTextAsync(ActualCost);
        await Expect(console.ByTest("stat-total-cost")).ToContainTextAsync(ActualCost);
        await console.ScreenshotAsync("admin-dashboard");
        await console.GotoAsync("/admin/usage");
        await Expect(console.ByTest("admin-usage-actual-cost")).ToHaveTextAsync(ActualCost);
        await Expect(console.ByTest("admin-usage-table")).ToContainTextAsync(userEmail);
        await console.ScreenshotAsync("admin-usage");
        await console.GotoAsync("/admin/users");
        await Expect(userRow.Locator("[data-test=\"user-balance-value\"]")).ToHaveTextAsync("$9.98291125");

        // The remaining admin pages open cleanly (the session fails the test on any console error).
        foreach (var page in new[] { "proxies", "settings" })
        {
            await console.GotoAsync($"/admin/{page}");
            await Expect(console.ByTest($"page-admin-{page}")).ToBeVisibleAsync();
            await console.ScreenshotAsync($"admin-{page}");
        }
    }

    /// <summary>Opens an Element Plus select and picks the option whose label contains this text.</summary>
    private static async Task PickAsync(AppSession session, string select, string option)
    {
        await session.ByTest(select).ClickAsync();
        await session.Page.Locator(".el-select-dropdown__item:visible", new PageLocatorOptions { HasText = option }).ClickAsync();
    }

    private async Task CallTheGatewayAsync(string key)
    {
        var ct = TestContext.Current.CancellationToken;
        using (var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", key);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
        }
        // Usage is recorded in the background once the answer is out: wait until its row is in the database (the
        // recorder's flush alone can run before the request has handed its record over).
        await RelayScenario.WaitUntilAsync(() => gateway.App.WithDbAsync(db => db.UsageLogs.AnyAsync(ct)), TimeSpan.FromSeconds(20),
            "the request's usage row");
    }
}

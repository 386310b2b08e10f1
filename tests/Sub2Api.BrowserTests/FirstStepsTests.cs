using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The README's first steps, end to end in the browser: the admin sets up a group, an upstream account (an API key
/// on the fake Anthropic API) and a user with a balance; the user creates a key on the keys page, calls the gateway
/// with it, and sees the request and its exact cost on the dashboard and the usage page.
/// </summary>
public sealed class FirstStepsTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    /// <summary>The fake's fixed usage (1000 in, 500 out, 150 + 50 cache writes, 100 cache reads) at Sonnet 4.5 prices.</summary>
    private const string StandardCost = "$0.0113925";

    /// <summary>The same at the group's rate multiplier 1.5: what the user pays.</summary>
    private const string ActualCost = "$0.01708875";

    [Fact]
    public async Task AdminSetsUp_UserCreatesAKey_CallsTheGateway_AndSeesTheExactCost()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var groupName = $"claude-{suffix}";
        var userEmail = $"alice-{suffix}@example.com";
        const string userPassword = "alice-password-1";

        // The admin's part.
        var admin = await gateway.AdminApiAsync();
        var groupId = (await admin.PostAsync("/api/v1/admin/groups", new { name = groupName, platform = "anthropic", rate_multiplier = 1.5m }))
            .Data.GetProperty("id").GetInt64();
        await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = $"upstream-{suffix}",
            platform = "anthropic",
            type = "apikey",
            group_ids = new[] { groupId },
            credentials = new { api_key = $"sk-fake-ok-{suffix}", base_url = gateway.Upstream.BaseUrl },
        });
        (await admin.PostAsync("/api/v1/admin/users", new { email = userEmail, password = userPassword, balance = 10m })).Data.ToString();

        // The user's part, all through the pages.
        await using var app = await AppSession.OpenAsync(chromium, gateway);
        await app.LoginAsync(userEmail, userPassword);
        await app.ExpectPathAsync("/dashboard");
        await Expect(app.ByTest("stat-balance")).ToContainTextAsync("$10.00");

        await app.GotoAsync("/keys");
        await Expect(app.ByTest("page-keys")).ToBeVisibleAsync();
        await app.ByTest("key-create").ClickAsync();
        var form = app.ByTest("key-form-dialog");
        await Expect(form).ToBeVisibleAsync();
        await app.ByTest("key-form-name").FillAsync("laptop");
        await app.ByTest("key-form-group").ClickAsync();
        await app.Page.Locator(".el-select-dropdown__item:visible", new() { HasText = groupName }).ClickAsync();
        await app.ScreenshotAsync("user-key-form");
        await app.ByTest("key-form-submit").ClickAsync();

        var created = app.ByTest("key-created-value");
        await Expect(created).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^sk-[0-9a-f]{16,}$"));
        var key = (await created.TextContentAsync())!.Trim();
        await app.ScreenshotAsync("user-key-created");
        await app.ByTest("key-created-close").ClickAsync();
        await Expect(app.ByTest("key-row-name").Filter(new() { HasText = "laptop" })).ToBeVisibleAsync();
        await app.ScreenshotAsync("user-keys");

        // The key works on the gateway, like any Anthropic client would use it.
        using (var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", key);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        // Usage is written in the background: wait until it is in the database, not for a while.
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await gateway.App.Services.GetRequiredService<UsageRecorder>().FlushAsync(deadline.Token);
        }

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
        await Expect(app.ByTest("page-profile")).ToBeVisibleAsync();
        await Expect(app.ByTest("profile-email")).ToContainTextAsync(userEmail);
        await app.ScreenshotAsync("user-profile");

        // The admin sees the same request, at the same cost, on the overview and the usage page.
        await using var console = await AppSession.OpenAsync(chromium, gateway);
        await console.LoginAsAdminAsync();
        await console.ExpectPathAsync("/admin/dashboard");
        await Expect(console.ByTest("stat-today-cost")).ToContainTextAsync(ActualCost);
        await Expect(console.ByTest("stat-total-cost")).ToContainTextAsync(ActualCost);
        await console.ScreenshotAsync("admin-dashboard-after-first-request");
        await console.GotoAsync("/admin/usage");
        await Expect(console.ByTest("admin-usage-actual-cost")).ToHaveTextAsync(ActualCost);
        await Expect(console.ByTest("admin-usage-table")).ToContainTextAsync(userEmail);
        await console.ScreenshotAsync("admin-usage");
    }
}

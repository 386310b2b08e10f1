using System.Net;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The rest of the original's admin pages: an admin generates the admin API key on the settings page (shown once,
/// then only masked) and a script uses it; then deletes it. On the usage page they create a cleanup task and see it
/// in the task list with its status.
/// </summary>
public sealed class AdminContractPagesTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    [Fact]
    public async Task AdminApiKey_GeneratedOnTheSettingsPage_WorksForScripts_ThenDeleted()
    {
        await using var app = await AppSession.OpenAsync(chromium, gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/settings");
        await Expect(app.ByTest("page-admin-settings")).ToBeVisibleAsync();
        var card = app.ByTest("admin-api-key-card");
        await Expect(card).ToBeVisibleAsync();
        if (await app.ByTest("admin-api-key-delete").IsVisibleAsync())
        {
            await app.ByTest("admin-api-key-delete").ClickAsync();
            await ConfirmAsync(app);
        }
        await Expect(app.ByTest("admin-api-key-none")).ToBeVisibleAsync();

        await app.ByTest("admin-api-key-generate").ClickAsync();
        var value = app.ByTest("admin-api-key-value").Locator("input");
        await Expect(value).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^admin-[0-9a-f]{64}$"));
        var key = await value.InputValueAsync();
        await app.ScreenshotAsync("admin-settings-admin-api-key");
        await app.ByTest("admin-api-key-close").ClickAsync();
        await Expect(app.ByTest("admin-api-key-masked")).ToContainTextAsync("admin-");
        await Expect(card).Not.ToContainTextAsync(key);

        var script = gateway.Api();
        script.Http.DefaultRequestHeaders.Add("x-api-key", key);
        Assert.Equal(0, (await script.GetAsync("/api/v1/admin/users")).Body.GetProperty("code").GetInt32());

        await app.ByTest("admin-api-key-delete").ClickAsync();
        await ConfirmAsync(app);
        await Expect(app.ByTest("admin-api-key-none")).ToBeVisibleAsync();
        (await script.GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);

        // The stream-timeout card saves through its own route.
        await Expect(app.ByTest("stream-timeout-card")).ToBeVisibleAsync();
        await app.ByTest("stream-timeout-enabled").ClickAsync();
        await app.ByTest("stream-timeout-save").ClickAsync();
        var admin = await gateway.AdminApiAsync();
        await RelayScenario.WaitUntilAsync(async () =>
            (await admin.GetAsync("/api/v1/admin/settings/stream-timeout")).Data.GetProperty("enabled").GetBoolean(), because: "saved");
    }

    [Fact]
    public async Task CleanupTask_CreatedOnTheUsagePage_ShowsInTheTaskList()
    {
        var admin = await gateway.AdminApiAsync();
        var before = (await admin.GetAsync("/api/v1/admin/usage/cleanup-tasks")).Data.GetProperty("total").GetInt64();
        await using var app = await AppSession.OpenAsync(chromium, gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/usage");
        await Expect(app.ByTest("page-admin-usage")).ToBeVisibleAsync();
        await Expect(app.ByTest("cleanup-tasks")).ToBeVisibleAsync();

        await app.ByTest("cleanup-create").ClickAsync();
        var inputs = app.ByTest("cleanup-range").Locator("input");
        await inputs.Nth(0).FillAsync("2026-01-01");
        await inputs.Nth(1).FillAsync("2026-01-03");
        await inputs.Nth(1).PressAsync("Enter");
        await app.ByTest("cleanup-model").Locator("input").FillAsync("claude-nothing-matches");
        await app.ByTest("cleanup-submit").ClickAsync();
        await ConfirmAsync(app);

        var table = app.ByTest("cleanup-table");
        await Expect(table).ToContainTextAsync("model=claude-nothing-matches");
        await Expect(table.Locator("[data-test=\"cleanup-status\"]").First).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex("^(Pending|Running|Succeeded)$"));
        await app.ScreenshotAsync("admin-usage-cleanup-tasks");
        var tasks = (await admin.GetAsync("/api/v1/admin/usage/cleanup-tasks")).Data;
        Assert.Equal(before + 1, tasks.GetProperty("total").GetInt64());
        var filters = tasks.GetProperty("items")[0].GetProperty("filters");
        Assert.Equal("claude-nothing-matches", filters.GetProperty("model").GetString());
        Assert.Equal(new DateTime(2026, 1, 4, 0, 0, 0, DateTimeKind.Utc), filters.GetProperty("end_time").GetDateTime().ToUniversalTime());
    }

    private static async Task ConfirmAsync(AppSession app)
    {
        var confirm = app.Page.Locator(".el-message-box__btns button").Last;
        await Expect(confirm).ToBeVisibleAsync();
        await confirm.ClickAsync();
        await Expect(app.Page.Locator(".el-message-box")).ToBeHiddenAsync();
    }
}

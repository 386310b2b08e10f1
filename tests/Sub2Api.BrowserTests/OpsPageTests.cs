using System.Net;
using System.Text;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The ops page answers "which account is failing, since when, with what error" on one screen: an account whose
/// upstream refuses its key (the fake answers 401) fails a relayed request; the admin opens the ops page and sees
/// that account and the upstream's error in the failing-accounts card, finds it in the error log, and opens the
/// failed attempt's detail.
/// </summary>
public sealed class OpsPageTests(ChromiumFixture chromium, BrowserGateway gateway) : IClassFixture<BrowserGateway>
{
    private const string UpstreamError = "fake 401 from upstream";

    [Fact]
    public async Task AFailingAccount_ShowsInTheFailingAccountsCard_AndInTheErrorLog_WithItsDetail()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var accountName = $"broken-{suffix}";
        var admin = await gateway.AdminApiAsync();
        var groupId = (await admin.PostAsync("/api/v1/admin/groups", new { name = $"ops-{suffix}", platform = "anthropic" }))
            .Data.GetProperty("id").GetInt64();
        var accountId = (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = accountName,
            platform = "anthropic",
            type = "apikey",
            group_ids = new[] { groupId },
            credentials = new { api_key = $"sk-fake-auth401-{suffix}", base_url = gateway.Upstream.BaseUrl },
        })).Data.GetProperty("id").GetInt64();
        var (email, password, _) = await gateway.CreateUserAsync("ops", balance: 5m);
        var login = await gateway.Api().PostAsync("/api/v1/auth/login", new { email, password });
        var user = gateway.Api().WithToken(login.Data.GetProperty("access_token").GetString()!);
        var key = (await user.PostAsync("/api/v1/keys", new { name = "ops", group_id = groupId })).Data.GetProperty("key").GetString()!;

        await RelayFailsAsync(key);

        // The error log is written in the background and the account is taken out of service after the answer:
        // wait until the API shows both, so the page has what it should show.
        await RelayScenario.WaitUntilAsync(async () =>
            (await admin.GetAsync($"/api/v1/admin/ops/upstream-errors?time_range=1h&account_id={accountId}")).Data.GetProperty("total").GetInt64() > 0,
            TimeSpan.FromSeconds(20), "the failed upstream attempt in the ops error log");
        await RelayScenario.WaitUntilAsync(async () =>
            (await admin.GetAsync("/api/v1/admin/ops/account-availability")).Data.GetProperty("accounts").EnumerateArray()
                .Any(a => a.GetProperty("account_id").GetInt64() == accountId && a.GetProperty("state").GetString() != "available"),
            TimeSpan.FromSeconds(20), "the account out of service");

        await using var app = await AppSession.OpenAsync(chromium, gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/ops");
        await Expect(app.ByTest("page-admin-ops")).ToBeVisibleAsync();

        // One screen: the account, its state, and the upstream's error.
        var failing = app.ByTest("ops-failing-accounts");
        await Expect(failing.Locator("[data-test=\"ops-failing-account-name\"]", new() { HasText = accountName })).ToBeVisibleAsync();
        await Expect(failing).ToContainTextAsync(UpstreamError);
        await Expect(app.ByTest("ops-errors-by-account-table")).ToContainTextAsync(accountName);
        await app.ScreenshotAsync("admin-ops-overview");

        // The account's name leads to its errors: the client-visible failure, then each failed upstream attempt.
        await failing.Locator("[data-test=\"ops-failing-account-name\"]", new() { HasText = accountName }).ClickAsync();
        await Expect(app.ByTest("ops-error-account-filter")).ToContainTextAsync(accountName);
        var table = app.ByTest("ops-error-table");
        await Expect(table.Locator(".el-table__row")).Not.ToHaveCountAsync(0);
        await app.ScreenshotAsync("admin-ops-request-errors");

        await app.ByTest("ops-error-kind-upstream").ClickAsync();
        await Expect(table).ToContainTextAsync(accountName);
        await Expect(table).ToContainTextAsync(UpstreamError);
        await Expect(table.Locator("[data-test=\"ops-error-status\"]").First).ToHaveTextAsync("401");

        await table.Locator(".el-table__row").First.ClickAsync();
        var detail = app.ByTest("ops-error-detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(app.ByTest("ops-error-detail-account")).ToHaveTextAsync(accountName);
        await Expect(app.ByTest("ops-error-detail-message")).ToContainTextAsync(UpstreamError);
        await app.ScreenshotAsync("admin-ops-error-detail");

        await app.ByTest("ops-error-resolve").ClickAsync();
        await Expect(app.ByTest("ops-error-detail-resolved")).Not.ToHaveTextAsync("Open");
    }

    private async Task RelayFailsAsync(string key)
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await http.SendAsync(request, ct);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}

using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The admin's ChatGPT (Codex) subscription wizard on the accounts page, against a fake ChatGPT OAuth provider:
/// generate the link, paste the callback address, exchange, create the account, then refresh its token from the row.
/// </summary>
public sealed class OpenAIOAuthWizardTests(ChromiumFixture chromium, OpenAIOAuthBrowserGateway fixture) : IClassFixture<OpenAIOAuthBrowserGateway>
{
    private BrowserGateway Gateway => fixture.Gateway;

    private FakeOpenAIOAuthServer OAuth => fixture.OAuth;

    [Fact]
    public async Task Wizard_GeneratesTheLink_ExchangesThePastedCallback_CreatesTheAccount_AndTheRowRefreshesItsToken()
    {
        await using var app = await AppSession.OpenAsync(chromium, Gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/accounts");
        await Expect(app.ByTest("page-admin-accounts")).ToBeVisibleAsync();
        await app.ByTest("account-create").ClickAsync();
        await app.ByTest("account-create-openai-oauth").ClickAsync();
        await Expect(app.ByTest("openai-oauth-wizard")).ToBeVisibleAsync();

        await app.ByTest("openai-oauth-generate-link").ClickAsync();
        var urlInput = app.ByTest("openai-oauth-auth-url");
        await Expect(urlInput).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(OAuth.BaseUrl + "/oauth/authorize?")));
        await Expect(app.ByTest("openai-oauth-exchange")).ToBeDisabledAsync();   // nothing pasted yet

        // The admin logs in at ChatGPT in another tab and pastes the address the browser landed on.
        var callback = OAuth.Authorize(await urlInput.InputValueAsync());
        await app.ByTest("openai-oauth-callback-input").FillAsync(callback);
        await app.ScreenshotAsync("openai-oauth-callback-pasted");
        await app.ByTest("openai-oauth-exchange").ClickAsync();

        await Expect(app.ByTest("openai-oauth-authorised")).ToContainTextAsync(FakeOpenAIOAuthServer.Email);
        await Expect(app.ByTest("openai-oauth-authorised")).ToContainTextAsync(FakeOpenAIOAuthServer.AccountId);
        var name = "chatgpt-" + Guid.NewGuid().ToString("N")[..8];
        await app.ByTest("openai-oauth-name-input").FillAsync(name);
        await app.ScreenshotAsync("openai-oauth-details");
        await app.ByTest("openai-oauth-submit").ClickAsync();

        await Expect(app.ByTest("openai-oauth-wizard")).Not.ToBeVisibleAsync();
        var row = app.ByTest("account-table").Locator("tr", new() { Has = app.Page.Locator("[data-test=account-name]", new() { HasText = name }) });
        await Expect(row).ToBeVisibleAsync();
        await app.ScreenshotAsync("openai-oauth-created");

        var issued = OAuth.IssuedAccessTokens[^1];
        var account = await AccountAsync(name);
        Assert.Equal("openai", account.GetProperty("platform").GetString());
        Assert.Equal("oauth", account.GetProperty("type").GetString());
        var credentials = account.GetProperty("credentials");
        Assert.True(Masking.IsMaskOf(credentials.GetProperty("access_token").GetString()!, issued));
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, credentials.GetProperty("chatgpt_account_id").GetString());
        Assert.DoesNotContain(issued, credentials.GetRawText(), StringComparison.Ordinal);

        // The row's refresh goes through /admin/openai/accounts/:id/refresh and stores a new token.
        await row.Locator("[data-test=account-refresh]").ClickAsync();
        await Expect(app.Page.Locator(".el-message--success", new() { HasText = "Token refreshed" })).ToBeVisibleAsync();
        Assert.Equal(1, OAuth.GrantCount("refresh_token"));
        var refreshed = (await AccountAsync(name)).GetProperty("credentials").GetProperty("access_token").GetString()!;
        Assert.True(Masking.IsMaskOf(refreshed, OAuth.IssuedAccessTokens[^1]));
    }

    private async Task<System.Text.Json.JsonElement> AccountAsync(string name)
    {
        var admin = await Gateway.AdminApiAsync();
        var items = (await admin.GetAsync("/api/v1/admin/accounts?page=1&page_size=100&search=" + Uri.EscapeDataString(name))).Data.GetProperty("items");
        return Assert.Single(items.EnumerateArray(), a => a.GetProperty("name").GetString() == name);
    }
}

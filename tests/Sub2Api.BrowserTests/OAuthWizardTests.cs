using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// The admin's Claude subscription wizard on the accounts page, against a fake OAuth provider: the link-and-code
/// method, the sessionKey cookie method, and the live test dialog streaming an upstream's answer.
/// </summary>
public sealed class OAuthWizardTests(ChromiumFixture chromium, OAuthBrowserGateway fixture) : IClassFixture<OAuthBrowserGateway>
{
    /// <summary>Code grants before this test's wizard opened (the fixture's fake provider is shared by the class).</summary>
    private int _grantsBefore;

    private BrowserGateway Gateway => fixture.Gateway;

    private FakeOAuthServer OAuth => fixture.OAuth;

    [Fact]
    public async Task LinkMethod_GeneratesTheLink_ExchangesThePastedCode_AndCreatesTheAccount()
    {
        var name = "claude-link-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await OpenWizardAsync();

        await app.ByTest("oauth-method-link").ClickAsync();
        await app.ByTest("oauth-generate-link").ClickAsync();
        var urlInput = app.ByTest("oauth-auth-url");
        await Expect(urlInput).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(OAuth.BaseUrl + "/oauth/authorize?")));
        var authUrl = await urlInput.InputValueAsync();

        // The admin logs in at the provider in another tab and pastes what the callback page shows: the whole URL.
        var pasted = OAuth.AuthorizeToCallbackUrl(authUrl);
        await app.ByTest("oauth-code-input").FillAsync(pasted);
        await app.ScreenshotAsync("oauth-link-code-pasted");
        await app.ByTest("oauth-exchange").ClickAsync();

        await Expect(app.ByTest("oauth-authorised")).ToContainTextAsync(FakeOAuthServer.Email);
        await app.ByTest("oauth-name-input").FillAsync(name);
        await app.ScreenshotAsync("oauth-link-details");
        await app.ByTest("oauth-submit").ClickAsync();

        await Expect(app.ByTest("oauth-wizard")).Not.ToBeVisibleAsync();
        await Expect(app.ByTest("account-table").Locator("[data-test=account-name]", new() { HasText = name })).ToBeVisibleAsync();
        await app.ScreenshotAsync("oauth-link-created");

        Assert.Equal(1, OAuth.GrantCount("authorization_code") - _grantsBefore);
        await AssertStoredMaskedAsync(name, OAuth.IssuedAccessTokens[^1]);
    }

    [Fact]
    public async Task CookieMethod_AuthorisesWithTheSessionKey_AndCreatesTheAccount()
    {
        var name = "claude-cookie-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await OpenWizardAsync();

        await app.ByTest("oauth-method-cookie").ClickAsync();
        await Expect(app.ByTest("oauth-cookie-submit")).ToBeDisabledAsync();   // nothing to send yet
        await app.ByTest("oauth-cookie-input").FillAsync(OAuth.SessionKey);
        await app.ByTest("oauth-cookie-submit").ClickAsync();

        await Expect(app.ByTest("oauth-authorised")).ToBeVisibleAsync();
        await app.ByTest("oauth-name-input").FillAsync(name);
        await app.ByTest("oauth-submit").ClickAsync();

        await Expect(app.ByTest("oauth-wizard")).Not.ToBeVisibleAsync();
        await Expect(app.ByTest("account-table").Locator("[data-test=account-name]", new() { HasText = name })).ToBeVisibleAsync();
        await app.ScreenshotAsync("oauth-cookie-created");

        await AssertStoredMaskedAsync(name, OAuth.IssuedAccessTokens[^1]);
    }

    [Fact]
    public async Task TestDialog_StreamsTheUpstreamsAnswer_AndEndsInSuccess()
    {
        var name = "apikey-test-" + Guid.NewGuid().ToString("N")[..8];
        var admin = await Gateway.AdminApiAsync();
        (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name,
            platform = "anthropic",
            type = "apikey",
            credentials = new { api_key = "sk-fake-ok-" + Guid.NewGuid().ToString("N")[..8], base_url = Gateway.Upstream.BaseUrl },
        })).Data.ToString();

        await using var app = await AppSession.OpenAsync(chromium, Gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/accounts");
        var row = app.ByTest("account-table").Locator("tr", new() { Has = app.Page.Locator("[data-test=account-name]", new() { HasText = name }) });
        await row.Locator("[data-test=account-test]").ClickAsync();

        // Opening the dialog starts the test; the fake upstream streams "part 0 part 1 part 2".
        var output = app.ByTest("account-test-output");
        await Expect(output).ToHaveAttributeAsync("data-outcome", "success");
        await Expect(output).ToContainTextAsync("part 0 part 1 part 2");
        await app.ScreenshotAsync("account-test-success");

        // Running it again from the dialog streams afresh.
        await app.ByTest("account-test-run").ClickAsync();
        await Expect(output).ToHaveAttributeAsync("data-outcome", "success");
        await Expect(output).ToContainTextAsync("part 2");
    }

    /// <summary>Logs the admin in, opens the accounts page and the Claude OAuth wizard on its first step.</summary>
    private async Task<AppSession> OpenWizardAsync()
    {
        _grantsBefore = OAuth.GrantCount("authorization_code");
        var app = await AppSession.OpenAsync(chromium, Gateway);
        await app.LoginAsAdminAsync();
        await app.GotoAsync("/admin/accounts");
        await Expect(app.ByTest("page-admin-accounts")).ToBeVisibleAsync();
        await app.ByTest("account-create").ClickAsync();
        await app.ByTest("account-create-oauth").ClickAsync();
        await Expect(app.ByTest("oauth-wizard")).ToBeVisibleAsync();
        return app;
    }

    /// <summary>The account exists as a Claude OAuth account, and the API shows its tokens only masked.</summary>
    private async Task AssertStoredMaskedAsync(string name, string issuedAccessToken)
    {
        var admin = await Gateway.AdminApiAsync();
        var items = (await admin.GetAsync("/api/v1/admin/accounts?page=1&page_size=100&search=" + Uri.EscapeDataString(name))).Data.GetProperty("items");
        var account = Assert.Single(items.EnumerateArray(), a => a.GetProperty("name").GetString() == name);
        Assert.Equal("anthropic", account.GetProperty("platform").GetString());
        Assert.Equal("oauth", account.GetProperty("type").GetString());
        var credentials = account.GetProperty("credentials");
        var accessToken = credentials.GetProperty("access_token").GetString()!;
        Assert.True(Masking.IsMaskOf(accessToken, issuedAccessToken), $"access_token not the mask of the issued token: {accessToken}");
        var raw = credentials.GetRawText();
        Assert.DoesNotContain(issuedAccessToken, raw, StringComparison.Ordinal);
        Assert.All(OAuth.IssuedAccessTokens, token => Assert.DoesNotContain(token, raw, StringComparison.Ordinal));
        // The refresh token is stored (it is shown), but only as a mask, never the whole token.
        Assert.DoesNotMatch("sk-ant-ort01-[0-9]+-[0-9a-f]{32}", credentials.GetProperty("refresh_token").GetString()!);
    }
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Sub2Api.BrowserTests.Harness;
using Sub2Api.Billing;
using Sub2Api.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sub2Api.BrowserTests;

/// <summary>
/// Every page of the app, with data on it, at desktop and phone size and in Chinese: each one renders its root
/// without a console error or Vue warning, the document never scrolls sideways on a phone (wide tables scroll in
/// their own box), no untranslated key path shows, and a plain user cannot reach an admin page.
/// </summary>
public sealed partial class EveryPageTests(ChromiumFixture chromium, EveryPageTests.SeededGateway seeded)
    : IClassFixture<EveryPageTests.SeededGateway>
{
    /// <summary>Each page's path and its route name (the page root is <c>data-test="page-&lt;name&gt;"</c>).</summary>
    private static readonly (string Path, string Name)[] UserPages =
    [
        ("/dashboard", "dashboard"), ("/keys", "keys"), ("/usage", "usage"), ("/profile", "profile"),
        ("/subscriptions", "subscriptions"), ("/redeem", "redeem"),
    ];

    private static readonly (string Path, string Name)[] AdminPages =
    [
        ("/admin/dashboard", "admin-dashboard"), ("/admin/users", "admin-users"), ("/admin/groups", "admin-groups"),
        ("/admin/accounts", "admin-accounts"), ("/admin/proxies", "admin-proxies"), ("/admin/usage", "admin-usage"),
        ("/admin/settings", "admin-settings"), ("/admin/ops", "admin-ops"),
        ("/admin/subscriptions", "admin-subscriptions"), ("/admin/redeem", "admin-redeem"), ("/admin/promo-codes", "admin-promo-codes"),
        ("/admin/announcements", "admin-announcements"), ("/admin/user-attributes", "admin-user-attributes"),
    ];

    private BrowserGateway Gateway => seeded.Gateway;

    [Theory]
    [InlineData(AppSession.DesktopWidth, AppSession.DesktopHeight)]
    [InlineData(390, 844)]
    public async Task EveryPage_RendersCleanly_AndNeverScrollsSideways(int width, int height)
    {
        await using var app = await AppSession.OpenAsync(chromium, Gateway, width, height);
        await app.LoginAsAdminAsync();

        var problems = new List<string>();
        foreach (var (path, name) in UserPages.Concat(AdminPages))
        {
            await VisitAsync(app, path, name);
            // The document itself, and the layout's main area (it scrolls on its own, so a too-wide page shows there).
            var overflow = await app.Page.EvaluateAsync<int[]>(
                "() => { const main = document.querySelector('.el-main'); return [document.documentElement.scrollWidth - window.innerWidth, main ? main.scrollWidth - main.clientWidth : 0] }");
            if (overflow[0] > 1)
            {
                problems.Add($"{path}: the document is {overflow[0]}px wider than the {width}px window");
            }
            if (overflow[1] > 1)
            {
                problems.Add($"{path}: the page is {overflow[1]}px wider than its area and scrolls sideways");
            }
            problems.AddRange(await UntranslatedKeysAsync(app, path));
            await app.ScreenshotAsync($"{width}-{name}");
            app.AssertNoErrors();   // names the page the error happened on
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task InChinese_EveryPageIsTranslated()
    {
        await using var app = await AppSession.OpenAsync(chromium, Gateway, locale: "zh-CN");
        await app.LoginAsAdminAsync();
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("仪表盘");
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("用户管理");
        await Expect(app.ByTest("nav-menu")).Not.ToContainTextAsync("Users");

        var problems = new List<string>();
        foreach (var (path, name) in UserPages.Concat(AdminPages))
        {
            var root = await VisitAsync(app, path, name);
            if (!HanCharacters().IsMatch(await root.InnerTextAsync()))
            {
                problems.Add($"{path}: no Chinese text on the page");
            }
            problems.AddRange(await UntranslatedKeysAsync(app, path));
            await app.ScreenshotAsync($"{AppSession.DesktopWidth}-zh-{name}");
            app.AssertNoErrors();
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task PlainUser_HasNoAdminMenu_AndEveryAdminPathSendsThemToTheDashboard()
    {
        await using var app = await AppSession.OpenAsync(chromium, Gateway);
        await app.LoginAsync(seeded.UserEmail, SeededGateway.UserPassword);
        await app.ExpectPathAsync("/dashboard");
        await Expect(app.ByTest("nav-menu")).ToContainTextAsync("Dashboard");
        await Expect(app.ByTest("nav-admin")).ToHaveCountAsync(0);
        await Expect(app.ByTest("nav-menu")).Not.ToContainTextAsync("Users");
        await Expect(app.ByTest("nav-menu")).Not.ToContainTextAsync("Settings");

        foreach (var (path, _) in AdminPages)
        {
            await app.GotoAsync(path);
            await app.ExpectPathAsync("/dashboard");
            await Expect(app.ByTest("page-dashboard")).ToBeVisibleAsync();
            await Expect(app.ByTest("nav-admin")).ToHaveCountAsync(0);
        }
    }

    /// <summary>Opens the page and waits until its root is shown and nothing on it is loading any more.</summary>
    private static async Task<ILocator> VisitAsync(AppSession app, string path, string name)
    {
        await app.GotoAsync(path);
        await app.ExpectPathAsync(path);
        var root = app.ByTest("page-" + name);
        await Expect(root).ToBeVisibleAsync();
        await Expect(app.Page.Locator(".el-loading-mask:visible")).ToHaveCountAsync(0);
        return root;
    }

    /// <summary>
    /// vue-i18n shows a missing message as its key path (e.g. <c>adminUsers.title</c>): any word pair in the page's
    /// text that starts with one of the locale files' top-level names is one.
    /// </summary>
    private static async Task<IEnumerable<string>> UntranslatedKeysAsync(AppSession app, string path)
    {
        var text = await app.Page.Locator("body").InnerTextAsync();
        return KeyPath().Matches(text)
            .Select(m => m.Value)
            .Where(key => LocaleNamespaces.Value.Contains(key[..key.IndexOf('.', StringComparison.Ordinal)]))
            .Distinct(StringComparer.Ordinal)
            .Select(key => $"{path}: untranslated key \"{key}\"");
    }

    /// <summary>The top-level names of the English locale files (<c>nav</c>, <c>adminUsers</c>, …), read from the sources.</summary>
    private static readonly Lazy<HashSet<string>> LocaleNamespaces = new(() =>
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !Directory.Exists(Path.Combine(folder.FullName, "web", "src", "i18n", "en")))
        {
            folder = folder.Parent;
        }
        Assert.True(folder is not null, "web/src/i18n/en not found above the test binary");
        var names = Directory.EnumerateFiles(Path.Combine(folder.FullName, "web", "src", "i18n", "en"), "*.ts")
            .SelectMany(file => TopLevelKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        // A sanity floor, so a change in the files' layout cannot make the check pass by finding nothing.
        Assert.True(names.Count >= 10 && names.Contains("nav") && names.Contains("common"), $"locale namespaces: {string.Join(", ", names)}");
        return names;
    });

    [GeneratedRegex(@"\b[a-z][A-Za-z]+(\.[a-z][A-Za-z]+)+\b")]
    private static partial Regex KeyPath();

    [GeneratedRegex(@"^  ([A-Za-z]+): \{", RegexOptions.Multiline)]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex HanCharacters();

    /// <summary>
    /// The gateway with data on every page: a group, an API-key account on the fake upstream, a proxy, a user with a
    /// balance and a key, an admin key, and a few relayed requests (so the dashboards and usage lists have rows).
    /// Created through the API: it is setup, not what is tested.
    /// </summary>
    public sealed class SeededGateway : IAsyncLifetime
    {
        public const string UserPassword = "user-password-1";

        public BrowserGateway Gateway { get; } = new();

        public string UserEmail { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            await Gateway.InitializeAsync();
            var admin = await Gateway.AdminApiAsync();
            var groupId = (await admin.PostAsync("/api/v1/admin/groups", new { name = "claude-pages", platform = "anthropic", rate_multiplier = 1.5m }))
                .Data.GetProperty("id").GetInt64();
            (await admin.PostAsync("/api/v1/admin/accounts", new
            {
                name = "upstream-pages",
                platform = "anthropic",
                type = "apikey",
                group_ids = new[] { groupId },
                credentials = new { api_key = "sk-fake-ok-pages", base_url = Gateway.Upstream.BaseUrl },
            })).Data.ToString();
            (await admin.PostAsync("/api/v1/admin/proxies", new { name = "office", protocol = "http", host = "127.0.0.1", port = 3128 })).Data.ToString();

            var (email, password, _) = await Gateway.CreateUserAsync("pages", balance: 10m);
            UserEmail = email;
            var userKey = await CreateKeyAsync(await LoginAsync(email, password), groupId);
            var adminId = (await admin.GetAsync("/api/v1/auth/me")).Data.GetProperty("id").GetInt64();
            (await admin.PostAsync($"/api/v1/admin/users/{adminId}/balance", new { balance = 5m, operation = "add" })).Data.ToString();
            var adminKey = await CreateKeyAsync(admin, groupId);

            foreach (var key in new[] { userKey, userKey, adminKey })
            {
                await RelayAsync(key);
            }
            // Usage is written in the background: wait until every request is listed, so the pages have their rows.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Gateway.App.Services.GetRequiredService<UsageRecorder>().FlushAsync(deadline.Token);
            while ((await admin.GetAsync("/api/v1/admin/usage?page=1&page_size=1")).Data.GetProperty("total").GetInt64() < 3)
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        private async Task<ApiClient> LoginAsync(string email, string password)
        {
            var login = await Gateway.Api().PostAsync("/api/v1/auth/login", new { email, password });
            return Gateway.Api().WithToken(login.Data.GetProperty("access_token").GetString()!);
        }

        private static async Task<string> CreateKeyAsync(ApiClient owner, long groupId) =>
            (await owner.PostAsync("/api/v1/keys", new { name = "pages", group_id = groupId })).Data.GetProperty("key").GetString()!;

        private async Task RelayAsync(string key)
        {
            using var http = new HttpClient { BaseAddress = new Uri(Gateway.BaseUrl) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", key);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        public ValueTask DisposeAsync() => Gateway.DisposeAsync();
    }
}

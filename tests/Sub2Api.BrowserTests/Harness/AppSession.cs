using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.BrowserTests.Harness;

/// <summary>
/// One browser tab on the web app, in a fresh context (its own localStorage: logged out, default language). Every
/// console error and uncaught page error is collected, and the session fails the test when it is disposed with any
/// left that the test did not expect (<see cref="ExpectConsoleError"/>), so a page that logs an error or a Vue
/// warning breaks the build. Use it with <c>await using</c>.
/// </summary>
public sealed partial class AppSession : IAsyncDisposable
{
    public const int DesktopWidth = 1280;
    public const int DesktopHeight = 800;

    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _expected = [];

    private AppSession(IBrowserContext context, IPage page, string baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.Console += (_, message) =>
        {
            // Vue reports its warnings with console.warn: they count as failures too.
            if (message.Type is "error" || (message.Type is "warning" && message.Text.Contains("[Vue warn]", StringComparison.Ordinal)))
            {
                Record($"console {message.Type}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Record($"page error: {error}");
    }

    public IPage Page { get; }

    public string BaseUrl { get; }

    /// <summary>Opens a tab at desktop size (or the given viewport), English unless <paramref name="locale"/> says otherwise.</summary>
    public static async Task<AppSession> OpenAsync(ChromiumFixture chromium, BrowserGateway gateway, int width = DesktopWidth,
        int height = DesktopHeight, string locale = "en-US")
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = gateway.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        return new AppSession(context, await context.NewPageAsync(), gateway.BaseUrl);
    }

    /// <summary>The element with this <c>data-test</c> attribute.</summary>
    public ILocator ByTest(string name) => Page.Locator($"[data-test=\"{name}\"]");

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"GET {path}: {response?.Status}");
    }

    /// <summary>Waits until the app's router shows this path (a regex anchored at the address's path, query allowed).</summary>
    public Task ExpectPathAsync(string path) =>
        Assertions.Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(BaseUrl + path) + "(\\?.*)?$"));

    /// <summary>Logs in through the real login form and waits until the app has left the login page.</summary>
    public async Task LoginAsync(string email, string password)
    {
        await GotoAsync("/login");
        await SubmitLoginAsync(email, password);
        await Assertions.Expect(Page).Not.ToHaveURLAsync(LoginPath());
    }

    public Task LoginAsAdminAsync() => LoginAsync(Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword);

    /// <summary>Fills and submits the login form (on the login page), without waiting for the outcome.</summary>
    public async Task SubmitLoginAsync(string email, string password)
    {
        await ByTest("login-email").FillAsync(email);
        await ByTest("login-password").FillAsync(password);
        await ByTest("login-submit").ClickAsync();
    }

    /// <summary>
    /// A console error the test provokes on purpose (e.g. Chromium's "Failed to load resource … 401" for a wrong
    /// password): one error containing this text is not a failure.
    /// </summary>
    public void ExpectConsoleError(string fragment)
    {
        lock (_errors)
        {
            _expected.Add(fragment);
        }
    }

    /// <summary>How many console and page errors were seen so far, expected ones included.</summary>
    public int ErrorCount
    {
        get
        {
            lock (_errors)
            {
                return _errors.Count;
            }
        }
    }

    /// <summary>Fails the test now if an unexpected console or page error happened so far.</summary>
    public void AssertNoErrors()
    {
        lock (_errors)
        {
            var unexpected = _errors.Where(e => !_expected.Any(fragment => e.Contains(fragment, StringComparison.Ordinal))).ToList();
            Assert.True(unexpected.Count == 0, $"errors in the browser on {Page.Url}:\n{string.Join('\n', unexpected)}");
        }
    }

    /// <summary>Saves a full-page PNG under <see cref="Screenshots.Folder"/> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Screenshots.PathFor(name);
        // Transitions (a drawer sliding in, a dialog fading) are finished first, so the picture shows where they end.
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
        // Also in the test's output at once: should the test fail on something else first, the error is not lost.
        TestContext.Current.TestOutputHelper?.WriteLine(error);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        AssertNoErrors();
    }

    [GeneratedRegex("/login(\\?.*)?$")]
    public static partial Regex LoginPath();
}

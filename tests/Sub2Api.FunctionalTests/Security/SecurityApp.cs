using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Security;

/// <summary>
/// The app on a fake clock with a fake SMTP server configured, for the account-security tests. Everything goes
/// through <see cref="Web"/> (the clocked host), never the plain factory, so both see the same settings cache.
/// </summary>
internal sealed partial class SecurityApp : IAsyncDisposable
{
    private readonly Sub2ApiFactory _factory;

    private SecurityApp(Sub2ApiFactory factory, FakeTimeProvider clock, FakeSmtpServer smtp)
    {
        _factory = factory;
        Clock = clock;
        Smtp = smtp;
        Web = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
    }

    public WebApplicationFactory<Program> Web { get; }
    public FakeTimeProvider Clock { get; }
    public FakeSmtpServer Smtp { get; }

    /// <summary>Starts the app; <paramref name="settings"/> are saved through the admin settings API (SMTP is added).</summary>
    public static async Task<SecurityApp> StartAsync(object settings, bool defaultRateLimits = false, bool smtp = true)
    {
        var limits = defaultRateLimits ? null : new Dictionary<string, string?>
        {
            ["Auth:SendCodePermitsPerMinute"] = "10000",
            ["Auth:ForgotPasswordPermitsPerMinute"] = "10000",
            ["Auth:ResetPasswordPermitsPerMinute"] = "10000",
            ["Auth:SecondFactorPermitsPerMinute"] = "10000",
        };
        var app = new SecurityApp(new Sub2ApiFactory(settings: limits), new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 10, TimeSpan.Zero)),
            FakeSmtpServer.Start());
        var admin = await app.AdminAsync();
        (await admin.PutAsync("/api/v1/admin/settings", settings)).ShouldSucceed();
        if (smtp)
        {
            (await admin.PutAsync("/api/v1/admin/settings", new
            {
                smtp_host = "127.0.0.1", smtp_port = app.Smtp.Port, smtp_from_email = "noreply@sub2api.test", smtp_use_tls = false,
            })).ShouldSucceed();
        }
        return app;
    }

    public ApiClient Client(string? token = null)
    {
        var client = new ApiClient(Web.CreateClient());
        return token is null ? client : client.WithToken(token);
    }

    public Task<ApiResult> LoginAsync(string email, string password) =>
        Client().PostAsync("/api/v1/auth/login", new { email, password });

    public async Task<ApiClient> AdminAsync() =>
        Client((await LoginAsync(Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword)).Data.GetProperty("access_token").GetString());

    public async Task<long> CreateUserAsync(string email, string password)
    {
        var admin = await AdminAsync();
        return (await admin.PostAsync("/api/v1/admin/users", new { email, password })).Data.GetProperty("id").GetInt64();
    }

    public async Task<ApiClient> UserAsync(string email, string password)
    {
        await CreateUserAsync(email, password);
        return Client((await LoginAsync(email, password)).Data.GetProperty("access_token").GetString());
    }

    /// <summary>The six-digit code of the <paramref name="count"/>-th mail (1-based), which must be addressed to <paramref name="email"/>.</summary>
    public async Task<string> CodeFromMailAsync(string email, int count = 1)
    {
        var message = (await Smtp.WaitForMessagesAsync(count))[count - 1];
        Assert.Equal([email], message.Recipients);
        return SixDigits().Match(message.Data.Split("\n\n", 2)[^1]).Value;
    }

    internal Task WithDbAsync(Func<Sub2Api.Data.Sub2ApiDbContext, Task> action) => _factory.WithDbAsync(action);
    internal Task<T> WithDbAsync<T>(Func<Sub2Api.Data.Sub2ApiDbContext, Task<T>> action) => _factory.WithDbAsync(action);

    [GeneratedRegex(@"(?<![0-9])[0-9]{6}(?![0-9])")]
    private static partial Regex SixDigits();

    public async ValueTask DisposeAsync()
    {
        await Web.DisposeAsync();
        await _factory.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

internal static class ApiResultAssertions
{
    public static System.Text.Json.JsonElement ShouldSucceed(this ApiResult result) => result.Data;

    /// <summary>Asserts the error status and reason code.</summary>
    public static ApiResult ShouldFail(this ApiResult result, System.Net.HttpStatusCode status, string reason)
    {
        result.ShouldFail(status);
        Assert.Equal(reason, result.Body.GetProperty("reason").GetString());
        return result;
    }
}

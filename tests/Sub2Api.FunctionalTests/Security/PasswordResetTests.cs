using System.Net;
using System.Text.RegularExpressions;

namespace Sub2Api.FunctionalTests.Security;

/// <summary><c>/auth/forgot-password</c> and <c>/auth/reset-password</c>.</summary>
public sealed partial class PasswordResetTests
{
    private static readonly object ResetOn = new { email_verify_enabled = true, password_reset_enabled = true };

    [GeneratedRegex(@"(https?://\S+)/reset-password\?token=([0-9a-f]+)&email=(\S+)")]
    private static partial Regex ResetLink();

    private static async Task<(string Base, string Token, string Email)> LinkFromMailAsync(SecurityApp app, int count = 1)
    {
        var message = (await app.Smtp.WaitForMessagesAsync(count))[count - 1];
        var match = ResetLink().Match(message.Data);
        Assert.True(match.Success, message.Data);
        return (match.Groups[1].Value, match.Groups[2].Value, Uri.UnescapeDataString(match.Groups[3].Value));
    }

    [Fact]
    public async Task ResetLink_SetsTheNewPassword_EndsEverySession_AndWorksOnce()
    {
        await using var app = await SecurityApp.StartAsync(ResetOn);
        await app.CreateUserAsync("forgetful@example.com", "old-password-1");
        var session = (await app.LoginAsync("forgetful@example.com", "old-password-1")).ShouldSucceed();
        var oldAccess = session.GetProperty("access_token").GetString()!;
        var oldRefresh = session.GetProperty("refresh_token").GetString()!;
        var anon = app.Client();

        var answer = await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "Forgetful@example.com" });

        Assert.Contains("If your email is registered", answer.ShouldSucceed().GetProperty("message").GetString(), StringComparison.Ordinal);
        var (linkBase, token, email) = await LinkFromMailAsync(app);
        Assert.Equal(64, token.Length);
        Assert.Equal("forgetful@example.com", email);
        Assert.StartsWith("http://localhost", linkBase, StringComparison.Ordinal);   // the request's own origin
        Assert.Contains("Password Reset", app.Smtp.Messages[0].Subject, StringComparison.Ordinal);

        (await anon.PostAsync("/api/v1/auth/reset-password", new { email, token, new_password = "new-password-2" })).ShouldSucceed();

        (await app.LoginAsync("forgetful@example.com", "old-password-1")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.LoginAsync("forgetful@example.com", "new-password-2")).ShouldSucceed();
        (await app.Client(oldAccess).GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
        (await anon.PostAsync("/api/v1/auth/refresh", new { refresh_token = oldRefresh })).ShouldFail(HttpStatusCode.Unauthorized);
        // Single use.
        (await anon.PostAsync("/api/v1/auth/reset-password", new { email, token, new_password = "third-password-3" }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_RESET_TOKEN");
        (await app.LoginAsync("forgetful@example.com", "new-password-2")).ShouldSucceed();
    }

    [Fact]
    public async Task UnknownAddress_GetsTheSameAnswer_AndNoMail()
    {
        await using var app = await SecurityApp.StartAsync(ResetOn);
        await app.CreateUserAsync("known@example.com", "old-password-1");
        var anon = app.Client();

        var unknown = await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "nobody@example.com" });
        var known = await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "known@example.com" });

        Assert.Equal(known.Body.GetRawText(), unknown.Body.GetRawText());
        await app.Smtp.WaitForMessagesAsync(1);
        var mails = app.Smtp.Messages;
        Assert.Equal(["known@example.com"], Assert.Single(mails).Recipients);
    }

    [Fact]
    public async Task ExpiredOrWrongToken_Is400_AndTheLinkUsesApiBaseUrlWhenSet()
    {
        await using var app = await SecurityApp.StartAsync(new { email_verify_enabled = true, password_reset_enabled = true, api_base_url = "https://relay.example.com/" });
        await app.CreateUserAsync("slow@example.com", "old-password-1");
        var anon = app.Client();
        (await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "slow@example.com" })).ShouldSucceed();
        var (linkBase, token, email) = await LinkFromMailAsync(app);
        Assert.Equal("https://relay.example.com", linkBase);

        (await anon.PostAsync("/api/v1/auth/reset-password", new { email, token = new string('a', 64), new_password = "new-password-2" }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_RESET_TOKEN");
        (await anon.PostAsync("/api/v1/auth/reset-password", new { email = "other@example.com", token, new_password = "new-password-2" }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_RESET_TOKEN");
        (await anon.PostAsync("/api/v1/auth/reset-password", new { email, token, new_password = "short" })).ShouldFail(HttpStatusCode.BadRequest);
        (await anon.PostAsync("/api/v1/auth/reset-password", new { email, new_password = "new-password-2" })).ShouldFail(HttpStatusCode.BadRequest);

        app.Clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        (await anon.PostAsync("/api/v1/auth/reset-password", new { email, token, new_password = "new-password-2" }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_RESET_TOKEN");
        (await app.LoginAsync("slow@example.com", "old-password-1")).ShouldSucceed();
    }

    [Fact]
    public async Task Disabled_Is403_NoSmtp_Is503_AndForgotIsLimitedTo5PerMinutePerIp()
    {
        await using var app = await SecurityApp.StartAsync(new { email_verify_enabled = false, password_reset_enabled = true }, defaultRateLimits: true, smtp: false);
        var anon = app.Client();

        (await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "a@example.com" })).ShouldFail(HttpStatusCode.Forbidden, "PASSWORD_RESET_DISABLED");
        (await anon.PostAsync("/api/v1/auth/reset-password", new { email = "a@example.com", token = "x", new_password = "new-password-2" }))
            .ShouldFail(HttpStatusCode.Forbidden, "PASSWORD_RESET_DISABLED");

        (await (await app.AdminAsync()).PutAsync("/api/v1/admin/settings", new { email_verify_enabled = true })).ShouldSucceed();
        (await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "a@example.com" })).ShouldFail(HttpStatusCode.ServiceUnavailable, "EMAIL_NOT_CONFIGURED");
        (await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "nope" })).ShouldFail(HttpStatusCode.BadRequest);
        for (var i = 0; i < 2; i++)
        {
            (await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "a@example.com" })).ShouldFail(HttpStatusCode.ServiceUnavailable);
        }
        (await anon.PostAsync("/api/v1/auth/forgot-password", new { email = "a@example.com" })).ShouldFail(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
    }
}

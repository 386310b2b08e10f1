using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;

namespace Sub2Api.FunctionalTests.Security;

/// <summary><c>/auth/send-verify-code</c> and the code registration asks for when email verification is on.</summary>
public sealed class EmailVerificationTests
{
    private static readonly object VerifyOn = new { registration_enabled = true, email_verify_enabled = true };

    [Fact]
    public async Task SentCode_ArrivesByMail_AndRegistrationUsesItUp()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn);
        var anon = app.Client();

        var sent = await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "New.User@Example.com" });

        Assert.Equal(60, sent.ShouldSucceed().GetProperty("countdown").GetInt32());
        var code = await app.CodeFromMailAsync("new.user@example.com");
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("Email Verification Code", app.Smtp.Messages[0].Subject, StringComparison.Ordinal);
        // Only a hash of the code is stored.
        var stored = await app.WithDbAsync(db => db.AuthChallenges.SingleAsync(c => c.Purpose == AuthChallengePurposes.EmailVerify));
        Assert.NotEqual(code, stored.SecretHash);
        Assert.Equal(64, stored.SecretHash.Length);

        (await anon.PostAsync("/api/v1/auth/register", new { email = "new.user@example.com", password = "secret-pass-1" }))
            .ShouldFail(HttpStatusCode.BadRequest, "EMAIL_VERIFY_REQUIRED");
        var wrong = code == "000000" ? "000001" : "000000";
        (await anon.PostAsync("/api/v1/auth/register", new { email = "new.user@example.com", password = "secret-pass-1", verify_code = wrong }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_VERIFY_CODE");
        var registered = await anon.PostAsync("/api/v1/auth/register", new { email = "new.user@example.com", password = "secret-pass-1", verify_code = code });
        Assert.StartsWith("rt_", registered.ShouldSucceed().GetProperty("refresh_token").GetString(), StringComparison.Ordinal);

        // Used up: the row is consumed, and the address is taken now anyway.
        Assert.NotNull((await app.WithDbAsync(db => db.AuthChallenges.SingleAsync(c => c.Purpose == AuthChallengePurposes.EmailVerify))).ConsumedAt);
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "new.user@example.com" })).ShouldFail(HttpStatusCode.Conflict, "EMAIL_EXISTS");
    }

    [Fact]
    public async Task SecondCodeWithinAMinute_Is429_AfterwardsOnlyTheNewestCodeWorks()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn);
        var anon = app.Client();
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "cool@example.com" })).ShouldSucceed();
        var first = await app.CodeFromMailAsync("cool@example.com");

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var tooSoon = (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "cool@example.com" }))
            .ShouldFail(HttpStatusCode.TooManyRequests, "VERIFY_CODE_TOO_FREQUENT");
        Assert.Contains("30 seconds", tooSoon.Message, StringComparison.Ordinal);
        // Another address is not held up.
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "other@example.com" })).ShouldSucceed();

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "cool@example.com" })).ShouldSucceed();
        var second = await app.CodeFromMailAsync("cool@example.com", 3);

        if (first != second)
        {
            (await anon.PostAsync("/api/v1/auth/register", new { email = "cool@example.com", password = "secret-pass-1", verify_code = first }))
                .ShouldFail(HttpStatusCode.BadRequest, "INVALID_VERIFY_CODE");
        }
        (await anon.PostAsync("/api/v1/auth/register", new { email = "cool@example.com", password = "secret-pass-1", verify_code = second })).ShouldSucceed();
    }

    [Fact]
    public async Task CodeExpiresAfter15Minutes()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn);
        var anon = app.Client();
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "late@example.com" })).ShouldSucceed();
        var code = await app.CodeFromMailAsync("late@example.com");

        app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        (await anon.PostAsync("/api/v1/auth/register", new { email = "late@example.com", password = "secret-pass-1", verify_code = code }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_VERIFY_CODE");
    }

    [Fact]
    public async Task FiveWrongGuesses_KillTheCode()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn);
        var anon = app.Client();
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "guess@example.com" })).ShouldSucceed();
        var code = await app.CodeFromMailAsync("guess@example.com");
        var wrong = code == "123456" ? "654321" : "123456";

        for (var i = 0; i < 4; i++)
        {
            (await anon.PostAsync("/api/v1/auth/register", new { email = "guess@example.com", password = "secret-pass-1", verify_code = wrong }))
                .ShouldFail(HttpStatusCode.BadRequest, "INVALID_VERIFY_CODE");
        }
        (await anon.PostAsync("/api/v1/auth/register", new { email = "guess@example.com", password = "secret-pass-1", verify_code = wrong }))
            .ShouldFail(HttpStatusCode.TooManyRequests, "VERIFY_CODE_MAX_ATTEMPTS");
        (await anon.PostAsync("/api/v1/auth/register", new { email = "guess@example.com", password = "secret-pass-1", verify_code = code }))
            .ShouldFail(HttpStatusCode.TooManyRequests, "VERIFY_CODE_MAX_ATTEMPTS");
    }

    [Fact]
    public async Task WithoutSmtp_Is503_AndClientMistakesAreClear4xx()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn, smtp: false);
        var anon = app.Client();

        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "a@example.com" }))
            .ShouldFail(HttpStatusCode.ServiceUnavailable, "EMAIL_NOT_CONFIGURED");
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "not-an-email" })).ShouldFail(HttpStatusCode.BadRequest);
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = Infrastructure.Sub2ApiFactory.AdminEmail }))
            .ShouldFail(HttpStatusCode.Conflict, "EMAIL_EXISTS");
        Assert.Empty(app.Smtp.Messages);

        (await (await app.AdminAsync()).PutAsync("/api/v1/admin/settings", new { registration_enabled = false })).ShouldSucceed();
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "a@example.com" }))
            .ShouldFail(HttpStatusCode.Forbidden, "REGISTRATION_DISABLED");
    }

    [Fact]
    public async Task UnreachableSmtp_Is503_AndLeavesNoCooldown()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn);
        var port = app.Smtp.Port;
        await app.Smtp.DisposeAsync();   // the server goes away: connections are refused
        var anon = app.Client();

        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "down@example.com" }))
            .ShouldFail(HttpStatusCode.ServiceUnavailable, "EMAIL_SEND_FAILED");

        Assert.Equal(0, await app.WithDbAsync(db => db.AuthChallenges.CountAsync()));
        Assert.True(port > 0);
    }

    [Fact]
    public async Task SendCode_IsLimitedTo10PerMinutePerIp()
    {
        await using var app = await SecurityApp.StartAsync(VerifyOn, defaultRateLimits: true, smtp: false);
        var anon = app.Client();
        for (var i = 0; i < 10; i++)
        {
            (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = $"ip{i}@example.com" })).ShouldFail(HttpStatusCode.ServiceUnavailable);
        }
        (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "ip10@example.com" })).ShouldFail(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
    }
}

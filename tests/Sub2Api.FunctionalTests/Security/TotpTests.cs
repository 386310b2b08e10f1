using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Security;

/// <summary><c>/user/totp/*</c> and the login's second step, with codes the test computes from the returned secret.</summary>
public sealed class TotpTests
{
    private static readonly object TotpOn = new { totp_enabled = true };

    // The test's own generator against RFC 6238 appendix B (SHA-1, 8 digits).
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(20000000000L, "65353130")]
    public void TestGenerator_MatchesTheRfcVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, TestTotp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(unixSeconds), 8));

    private static async Task<(string Secret, string SetupToken)> SetupAsync(ApiClient user, string password)
    {
        var setup = (await user.PostAsync("/api/v1/user/totp/setup", new { password })).ShouldSucceed();
        return (setup.GetProperty("secret").GetString()!, setup.GetProperty("setup_token").GetString()!);
    }

    private static async Task<string> EnableAsync(SecurityApp app, ApiClient user, string password)
    {
        var (secret, token) = await SetupAsync(user, password);
        (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = TestTotp.Code(secret, app.Clock.GetUtcNow()), setup_token = token })).ShouldSucceed();
        return secret;
    }

    [Fact]
    public async Task Setup_Enable_LoginWithSecondStep_NoReplay_Disable()
    {
        await using var app = await SecurityApp.StartAsync(TotpOn);
        var user = await app.UserAsync("twofa@example.com", "user-password-1");

        var status = (await user.GetAsync("/api/v1/user/totp/status")).ShouldSucceed();
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.True(status.GetProperty("feature_enabled").GetBoolean());
        Assert.Equal("password", (await user.GetAsync("/api/v1/user/totp/verification-method")).ShouldSucceed().GetProperty("method").GetString());
        (await user.PostAsync("/api/v1/user/totp/setup", new { })).ShouldFail(HttpStatusCode.BadRequest, "PASSWORD_REQUIRED");
        (await user.PostAsync("/api/v1/user/totp/setup", new { password = "wrong-password" })).ShouldFail(HttpStatusCode.BadRequest, "PASSWORD_INCORRECT");

        var setup = (await user.PostAsync("/api/v1/user/totp/setup", new { password = "user-password-1" })).ShouldSucceed();
        var secret = setup.GetProperty("secret").GetString()!;
        var setupToken = setup.GetProperty("setup_token").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.StartsWith("otpauth://totp/Sub2API:twofa%40example.com?secret=" + secret + "&issuer=Sub2API", setup.GetProperty("qr_code_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(300, setup.GetProperty("countdown").GetInt32());

        // Stored encrypted, never in the clear.
        var stored = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "twofa@example.com").Select(u => u.TotpSecretEncrypted).SingleAsync());
        Assert.StartsWith("v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored!, StringComparison.Ordinal);

        var now = app.Clock.GetUtcNow();
        var wrong = TestTotp.Code(secret, now.AddMinutes(-5));
        (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = wrong, setup_token = setupToken })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_INVALID_CODE");
        (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = "12345", setup_token = setupToken })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = TestTotp.Code(secret, now), setup_token = "nope" }))
            .ShouldFail(HttpStatusCode.BadRequest, "TOTP_SETUP_EXPIRED");
        var enabled = (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = TestTotp.Code(secret, now), setup_token = setupToken })).ShouldSucceed();
        Assert.True(enabled.GetProperty("success").GetBoolean());

        status = (await user.GetAsync("/api/v1/user/totp/status")).ShouldSucceed();
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(now.ToUnixTimeSeconds(), status.GetProperty("enabled_at").GetInt64());
        Assert.DoesNotContain(secret, status.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await user.GetAsync("/api/v1/auth/me")).Body.GetRawText(), StringComparison.Ordinal);
        (await user.PostAsync("/api/v1/user/totp/setup", new { password = "user-password-1" })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_ALREADY_ENABLED");

        // The password alone no longer logs in.
        var first = (await app.LoginAsync("twofa@example.com", "user-password-1")).ShouldSucceed();
        Assert.True(first.GetProperty("requires_2fa").GetBoolean());
        Assert.Equal("t***a@example.com", first.GetProperty("user_email_masked").GetString());
        Assert.False(first.TryGetProperty("access_token", out _));
        var tempToken = first.GetProperty("temp_token").GetString()!;
        var anon = app.Client();

        // The code that enabled TOTP was used: the same step is refused inside its window.
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = TestTotp.Code(secret, now) }))
            .ShouldFail(HttpStatusCode.BadRequest, "TOTP_INVALID_CODE");
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = wrong })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_INVALID_CODE");

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = TestTotp.Code(secret, app.Clock.GetUtcNow());
        var tokens = (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = code })).ShouldSucceed();
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.StartsWith("rt_", tokens.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
        (await app.Client(access).GetAsync("/api/v1/auth/me")).ShouldSucceed();

        // The temp token is single use, and so is the code: a second login cannot reuse it.
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = code })).ShouldFail(HttpStatusCode.BadRequest, "INVALID_2FA_SESSION");
        var second = (await app.LoginAsync("twofa@example.com", "user-password-1")).ShouldSucceed().GetProperty("temp_token").GetString();
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = second, totp_code = code })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_INVALID_CODE");

        // Disable needs the password again; then the password alone logs in.
        var me = app.Client(access);
        (await me.PostAsync("/api/v1/user/totp/disable", new { })).ShouldFail(HttpStatusCode.BadRequest, "PASSWORD_REQUIRED");
        (await me.PostAsync("/api/v1/user/totp/disable", new { password = "wrong" })).ShouldFail(HttpStatusCode.BadRequest, "PASSWORD_INCORRECT");
        (await me.PostAsync("/api/v1/user/totp/disable", new { password = "user-password-1" })).ShouldSucceed();
        Assert.True((await app.LoginAsync("twofa@example.com", "user-password-1")).ShouldSucceed().TryGetProperty("access_token", out _));
        Assert.Null(await app.WithDbAsync(db => db.Users.Where(u => u.Email == "twofa@example.com").Select(u => u.TotpSecretEncrypted).SingleAsync()));
        (await me.PostAsync("/api/v1/user/totp/disable", new { password = "user-password-1" })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_NOT_SETUP");
    }

    [Fact]
    public async Task FiveWrongCodes_KillTheTempToken_WhichAlsoExpiresAfter5Minutes()
    {
        await using var app = await SecurityApp.StartAsync(TotpOn);
        var user = await app.UserAsync("guesser@example.com", "user-password-1");
        var secret = await EnableAsync(app, user, "user-password-1");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var anon = app.Client();
        var tempToken = (await app.LoginAsync("guesser@example.com", "user-password-1")).ShouldSucceed().GetProperty("temp_token").GetString();
        var right = TestTotp.Code(secret, app.Clock.GetUtcNow());
        var wrong = right == "000000" ? "000001" : "000000";

        for (var i = 0; i < 4; i++)
        {
            (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = wrong })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_INVALID_CODE");
        }
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = wrong })).ShouldFail(HttpStatusCode.TooManyRequests, "TOTP_TOO_MANY_ATTEMPTS");
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = tempToken, totp_code = right })).ShouldFail(HttpStatusCode.BadRequest, "INVALID_2FA_SESSION");

        var late = (await app.LoginAsync("guesser@example.com", "user-password-1")).ShouldSucceed().GetProperty("temp_token").GetString();
        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = late, totp_code = TestTotp.Code(secret, app.Clock.GetUtcNow()) }))
            .ShouldFail(HttpStatusCode.BadRequest, "INVALID_2FA_SESSION");
        (await anon.PostAsync("/api/v1/auth/login/2fa", new { totp_code = right })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Admins_UseTheSecondStepToo()
    {
        await using var app = await SecurityApp.StartAsync(TotpOn);
        var admin = await app.AdminAsync();
        var secret = await EnableAsync(app, admin, Sub2ApiFactory.AdminPassword);
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        var first = (await app.LoginAsync(Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword)).ShouldSucceed();
        Assert.True(first.GetProperty("requires_2fa").GetBoolean());
        var tokens = (await app.Client().PostAsync("/api/v1/auth/login/2fa", new
        {
            temp_token = first.GetProperty("temp_token").GetString(), totp_code = TestTotp.Code(secret, app.Clock.GetUtcNow()),
        })).ShouldSucceed();
        Assert.Equal("admin", tokens.GetProperty("user").GetProperty("role").GetString());
        (await app.Client(tokens.GetProperty("access_token").GetString()).GetAsync("/api/v1/admin/settings")).ShouldSucceed();
    }

    [Fact]
    public async Task FeatureOff_RefusesSetup_AndWithEmailVerificationTheCheckIsAnEmailedCode()
    {
        await using var app = await SecurityApp.StartAsync(new { totp_enabled = false });
        var user = await app.UserAsync("mailed@example.com", "user-password-1");

        (await user.PostAsync("/api/v1/user/totp/setup", new { password = "user-password-1" })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_NOT_ENABLED");
        (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = "123456", setup_token = "x" })).ShouldFail(HttpStatusCode.BadRequest, "TOTP_NOT_ENABLED");
        Assert.False((await user.GetAsync("/api/v1/user/totp/status")).ShouldSucceed().GetProperty("feature_enabled").GetBoolean());
        (await user.PostAsync("/api/v1/user/totp/send-code")).ShouldFail(HttpStatusCode.BadRequest, "EMAIL_VERIFY_NOT_ENABLED");
        (await app.Client().GetAsync("/api/v1/user/totp/status")).ShouldFail(HttpStatusCode.Unauthorized);

        (await (await app.AdminAsync()).PutAsync("/api/v1/admin/settings", new { totp_enabled = true, email_verify_enabled = true })).ShouldSucceed();
        Assert.Equal("email", (await user.GetAsync("/api/v1/user/totp/verification-method")).ShouldSucceed().GetProperty("method").GetString());
        (await user.PostAsync("/api/v1/user/totp/setup", new { password = "user-password-1" })).ShouldFail(HttpStatusCode.BadRequest, "VERIFY_CODE_REQUIRED");
        (await user.PostAsync("/api/v1/user/totp/send-code")).ShouldSucceed();
        var code = await app.CodeFromMailAsync("mailed@example.com");
        (await user.PostAsync("/api/v1/user/totp/send-code")).ShouldFail(HttpStatusCode.TooManyRequests, "VERIFY_CODE_TOO_FREQUENT");

        var setup = (await user.PostAsync("/api/v1/user/totp/setup", new { email_code = code })).ShouldSucceed();
        Assert.Matches("^[A-Z2-7]{32}$", setup.GetProperty("secret").GetString());
        // The emailed code was used up by the setup.
        (await user.PostAsync("/api/v1/user/totp/setup", new { email_code = code })).ShouldFail(HttpStatusCode.BadRequest, "INVALID_VERIFY_CODE");
    }
}

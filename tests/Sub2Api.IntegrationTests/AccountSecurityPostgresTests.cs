using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>The challenge-table queries of account security (codes, temp tokens, the TOTP replay mark) on PostgreSQL.</summary>
public sealed class AccountSecurityPostgresTests
{
    [Fact]
    public async Task EmailCode_TotpLogin_Replay_AndRevokeAll_WorkOnPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var smtp = FakeSmtpServer.Start();
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
        });
        var admin = await app.AdminAsync();
        Assert.Equal(0, (await admin.PutAsync("/api/v1/admin/settings", new
        {
            registration_enabled = true, email_verify_enabled = true, totp_enabled = true,
            smtp_host = "127.0.0.1", smtp_port = smtp.Port, smtp_use_tls = false,
        })).Body.GetProperty("code").GetInt32());
        var anon = app.Api();

        // Registration with an emailed code (wrong guess counted, right one used up).
        _ = (await anon.PostAsync("/api/v1/auth/send-verify-code", new { email = "pg@example.com" })).Data;
        var mail = (await smtp.WaitForMessagesAsync())[0].Data;
        var code = System.Text.RegularExpressions.Regex.Match(mail.Split("\n\n", 2)[1], "[0-9]{6}").Value;
        Assert.Equal(400, (int)(await anon.PostAsync("/api/v1/auth/register", new { email = "pg@example.com", password = "pg-password-1", verify_code = code == "000000" ? "111111" : "000000" })).Status);
        var session = (await anon.PostAsync("/api/v1/auth/register", new { email = "pg@example.com", password = "pg-password-1", verify_code = code })).Data;
        var user = app.Api().WithToken(session.GetProperty("access_token").GetString()!);

        // TOTP on with an emailed code, then the login's second step; the enabling code cannot be replayed.
        _ = (await user.PostAsync("/api/v1/user/totp/send-code")).Data;
        var totpMail = (await smtp.WaitForMessagesAsync(2))[1].Data;
        var emailCode = System.Text.RegularExpressions.Regex.Match(totpMail.Split("\n\n", 2)[1], "[0-9]{6}").Value;
        var setup = (await user.PostAsync("/api/v1/user/totp/setup", new { email_code = emailCode })).Data;
        var secret = setup.GetProperty("secret").GetString()!;
        var now = DateTimeOffset.UtcNow;
        _ = (await user.PostAsync("/api/v1/user/totp/enable", new { totp_code = TestTotp.Code(secret, now), setup_token = setup.GetProperty("setup_token").GetString() })).Data;
        var temp = (await anon.PostAsync("/api/v1/auth/login", new { email = "pg@example.com", password = "pg-password-1" })).Data.GetProperty("temp_token").GetString();
        Assert.Equal(400, (int)(await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = temp, totp_code = TestTotp.Code(secret, now) })).Status);
        var tokens = (await anon.PostAsync("/api/v1/auth/login/2fa", new { temp_token = temp, totp_code = TestTotp.Code(secret, now.AddSeconds(30)) })).Data;

        // Log out everywhere.
        var second = app.Api().WithToken(tokens.GetProperty("access_token").GetString()!);
        _ = (await second.PostAsync("/api/v1/auth/revoke-all-sessions")).Data;
        Assert.Equal(401, (int)(await second.GetAsync("/api/v1/auth/me")).Status);

        // Custom key failures are counted in the same table.
        var fresh = (await anon.PostAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword })).Data;
        var adminAgain = app.Api().WithToken(fresh.GetProperty("access_token").GetString()!);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(400, (int)(await adminAgain.PostAsync("/api/v1/keys", new { name = "k", custom_key = "short" })).Status);
        }
        Assert.Equal(429, (int)(await adminAgain.PostAsync("/api/v1/keys", new { name = "k", custom_key = "long_enough_key_12345" })).Status);
    }
}

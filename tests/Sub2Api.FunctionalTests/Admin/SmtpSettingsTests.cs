using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// The SMTP settings of the settings page (the server alerts are mailed through): stored with the password encrypted
/// and never shown again, and <c>test-smtp</c> / <c>send-test-email</c> against a real SMTP conversation.
/// </summary>
public sealed class SmtpSettingsTests
{
    private const string Password = "smtp-pass-never-echoed";

    [Fact]
    public async Task SavedPassword_IsEncrypted_NeverReturned_AndKeptWhenThePageSendsItBlank()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var saved = await admin.PutAsync("/api/v1/admin/settings", new
        {
            smtp_host = "mail.example.com", smtp_port = 2525, smtp_username = "relay", smtp_password = Password, smtp_use_tls = false,
        });

        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.True(saved.Data.GetProperty("smtp_password_configured").GetBoolean());
        Assert.False(saved.Data.TryGetProperty("smtp_password", out _));
        Assert.Equal(2525, saved.Data.GetProperty("smtp_port").GetInt32());
        var stored = await app.WithDbAsync(db => db.Settings.Where(s => s.Key == "smtp_password").Select(s => s.Value).SingleAsync());
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);

        // The page sends the password field back empty when it was not edited: the stored one stays.
        await admin.PutAsync("/api/v1/admin/settings", new { smtp_host = "mail2.example.com", smtp_password = "" });
        var fetched = await admin.GetAsync("/api/v1/admin/settings");
        Assert.True(fetched.Data.GetProperty("smtp_password_configured").GetBoolean());
        Assert.Equal("mail2.example.com", fetched.Data.GetProperty("smtp_host").GetString());
        Assert.DoesNotContain(Password, fetched.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(stored, await app.WithDbAsync(db => db.Settings.Where(s => s.Key == "smtp_password").Select(s => s.Value).SingleAsync()));
    }

    [Fact]
    public async Task SendTestEmail_GoesThroughTheStoredServer_WithTheStoredPassword()
    {
        await using var smtp = FakeSmtpServer.Start("relay", Password);
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await admin.PutAsync("/api/v1/admin/settings", new
        {
            site_name = "Relay Co", smtp_host = "127.0.0.1", smtp_port = smtp.Port, smtp_username = "relay", smtp_password = Password,
            smtp_from_email = "noreply@relay.example", smtp_from_name = "Relay", smtp_use_tls = false,
        });

        var sent = await admin.PostAsync("/api/v1/admin/settings/send-test-email", new { email = "ops@relay.example" });

        Assert.True(sent.Status == HttpStatusCode.OK, sent.Body.ToString());
        var message = Assert.Single(await smtp.WaitForMessagesAsync());
        Assert.Equal("noreply@relay.example", message.From);
        Assert.Equal(["ops@relay.example"], message.Recipients);
        Assert.Contains("Subject: [Relay Co] Test Email", message.Data, StringComparison.Ordinal);
        Assert.Equal(0, smtp.RefusedLogins);
    }

    [Fact]
    public async Task TestSmtp_ReportsARefusedLogin_WithoutEchoingThePassword()
    {
        await using var smtp = FakeSmtpServer.Start("relay", Password);
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var ok = await admin.PostAsync("/api/v1/admin/settings/test-smtp", new
        {
            smtp_host = "127.0.0.1", smtp_port = smtp.Port, smtp_username = "relay", smtp_password = Password, smtp_use_tls = false,
        });
        var refused = await admin.PostAsync("/api/v1/admin/settings/test-smtp", new
        {
            smtp_host = "127.0.0.1", smtp_port = smtp.Port, smtp_username = "relay", smtp_password = "wrong-" + Password, smtp_use_tls = false,
        });

        Assert.True(ok.Status == HttpStatusCode.OK, ok.Body.ToString());
        refused.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("SMTP test failed", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, refused.Body.GetRawText(), StringComparison.Ordinal);
        Assert.True(smtp.RefusedLogins > 0);   // MailKit tries each mechanism the server offers
        Assert.Empty(smtp.Messages);   // a connection test sends nothing
    }

    [Fact]
    public async Task ClientMistakes_AreClear400s_AndUsersAreRefused()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("smtp-user@example.com", "user-password-1");

        Assert.Contains("SMTP host is required", (await admin.PostAsync("/api/v1/admin/settings/test-smtp", new { }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        Assert.Contains("valid e-mail", (await admin.PostAsync("/api/v1/admin/settings/send-test-email", new { email = "not-an-address" }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        Assert.Contains("smtp_port", (await admin.PutAsync("/api/v1/admin/settings", new { smtp_port = "x" }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        (await user.PostAsync("/api/v1/admin/settings/test-smtp", new { smtp_host = "127.0.0.1" })).ShouldFail(HttpStatusCode.Forbidden);
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// <c>PUT /admin/settings</c> as the original's settings page and tools written against it call it: every key of
/// the page at once, most of which this build does not implement. Those keys are ignored (never stored, never
/// echoed), while the keys it does implement keep their validation.
/// </summary>
public sealed class SettingsApiTests
{
    private const string SmtpPassword = "smtp-secret-do-not-echo";

    [Fact]
    public async Task Put_WithKeysThisBuildDoesNotImplement_StoresTheKnownOnes_AndIgnoresTheRest()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var saved = await admin.SendRawAsync(HttpMethod.Put, "/api/v1/admin/settings", $$"""
            {
              "site_name": "My Relay", "registration_enabled": true, "default_balance": 2.5, "default_concurrency": 4,
              "smtp_host": "smtp.example.com", "smtp_port": 587, "smtp_password": "{{SmtpPassword}}", "smtp_use_tls": true,
              "turnstile_secret_key": "ts-secret", "fallback_model_anthropic": "claude-sonnet-4-5",
              "stream_timeout_settings": {"enabled": false, "threshold_count": 3}, "ops_query_mode_default": null,
              "linuxdo_connect_redirect_urls": ["https://a.example"]
            }
            """);

        Assert.True(saved.Status == HttpStatusCode.OK, saved.Body.ToString());
        Assert.Equal("My Relay", saved.Data.GetProperty("site_name").GetString());
        Assert.DoesNotContain(SmtpPassword, saved.Body.GetRawText(), StringComparison.Ordinal);
        // SMTP is implemented (alert mail): stored, the password encrypted and only reported as configured.
        Assert.Equal("smtp.example.com", saved.Data.GetProperty("smtp_host").GetString());
        Assert.True(saved.Data.GetProperty("smtp_password_configured").GetBoolean());
        Assert.False(saved.Data.TryGetProperty("turnstile_secret_key", out _));
        var fetched = await admin.GetAsync("/api/v1/admin/settings");
        Assert.True(fetched.Data.GetProperty("registration_enabled").GetBoolean());
        Assert.Equal(2.5m, fetched.Data.GetProperty("default_balance").GetDecimal());
        Assert.Equal(4, fetched.Data.GetProperty("default_concurrency").GetInt32());
        Assert.DoesNotContain(SmtpPassword, fetched.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("smtp", (await app.Api().GetAsync("/api/v1/settings/public")).Body.GetRawText(), StringComparison.Ordinal);
        var storedKeys = await app.WithDbAsync(db => db.Settings.Select(s => s.Key).ToListAsync());
        Assert.Equal(["default_balance", "default_concurrency", "registration_enabled", "site_name", "smtp_host", "smtp_password", "smtp_port", "smtp_use_tls"],
            storedKeys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(SmtpPassword, await app.WithDbAsync(db => db.Settings.Where(s => s.Key == "smtp_password").Select(s => s.Value).SingleAsync()),
            StringComparison.Ordinal);
    }

    /// <summary>Before unknown keys were ignored, a whole save from the original's page failed on its first
    /// unknown key; the validation of known keys must not have been loosened with it.</summary>
    [Theory]
    [InlineData("""{"smtp_host":"h","registration_enabled":"yes"}""", "registration_enabled")]
    [InlineData("""{"site_name":5,"smtp_port":587}""", "site_name")]
    [InlineData("""{"default_concurrency":-1,"ops_monitoring_enabled":true}""", "default_concurrency")]
    [InlineData("""{"default_balance":"1.5","smtp_password":"x"}""", "default_balance")]
    public async Task Put_WrongTypeForAKnownKey_Is400_AndNothingIsSaved(string body, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var result = (await admin.SendRawAsync(HttpMethod.Put, "/api/v1/admin/settings", body)).ShouldFail(HttpStatusCode.BadRequest);

        Assert.Contains(field, result.Message, StringComparison.Ordinal);
        Assert.Empty(await app.WithDbAsync(db => db.Settings.Select(s => s.Key).ToListAsync()));
    }

    [Theory]
    [InlineData("""{"siteName":"x"}""")]
    [InlineData("""{"":"x"}""")]
    [InlineData("""{"site name":"x"}""")]
    [InlineData("""{"site_name\n":"x"}""")]
    public async Task Put_AKeyThatIsNotASettingName_Is400(string body)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var result = (await admin.SendRawAsync(HttpMethod.Put, "/api/v1/admin/settings", body)).ShouldFail(HttpStatusCode.BadRequest);

        Assert.Contains("not a setting name", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_AreAdminOnly()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("plain@example.com");

        (await user.GetAsync("/api/v1/admin/settings")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync("/api/v1/admin/settings", new { smtp_host = "h" })).ShouldFail(HttpStatusCode.Forbidden);
    }
}

using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Contract;

public sealed class SettingsAndSystemTests
{
    private const string StreamTimeout = "/api/v1/admin/settings/stream-timeout";

    [Fact]
    public async Task StreamTimeout_DefaultsThenUpdates_Validated()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("alice@example.com");

        var defaults = (await admin.GetAsync(StreamTimeout)).Data;
        Assert.False(defaults.GetProperty("enabled").GetBoolean());
        Assert.Equal("temp_unsched", defaults.GetProperty("action").GetString());
        Assert.Equal(5, defaults.GetProperty("temp_unsched_minutes").GetInt32());
        Assert.Equal(3, defaults.GetProperty("threshold_count").GetInt32());
        Assert.Equal(10, defaults.GetProperty("threshold_window_minutes").GetInt32());

        var updated = (await admin.PutAsync(StreamTimeout, new { enabled = true, action = "error", temp_unsched_minutes = 60 })).Data;
        Assert.True(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal("error", updated.GetProperty("action").GetString());
        Assert.Equal(60, updated.GetProperty("temp_unsched_minutes").GetInt32());
        Assert.Equal(3, updated.GetProperty("threshold_count").GetInt32());
        Assert.Equal("error", (await admin.GetAsync(StreamTimeout)).Data.GetProperty("action").GetString());

        (await admin.PutAsync(StreamTimeout, new { action = "explode" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(StreamTimeout, new { temp_unsched_minutes = 0 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(StreamTimeout, new { temp_unsched_minutes = 61 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(StreamTimeout, new { threshold_count = 0 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(StreamTimeout, new { enabled = "yes" })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(60, (await admin.GetAsync(StreamTimeout)).Data.GetProperty("temp_unsched_minutes").GetInt32());
        (await user.GetAsync(StreamTimeout)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync(StreamTimeout, new { enabled = true })).ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AdminSettingsPut_AcceptsTheOriginalPagesWholeBody()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        // A body shaped as the original's settings page sends it: its keys, including ones this build does not use.
        var body = """
        {
          "registration_enabled": true, "email_verify_enabled": false, "registration_email_suffix_whitelist": ["example.com"],
          "promo_code_enabled": true, "password_reset_enabled": false, "frontend_url": "", "invitation_code_enabled": false,
          "totp_enabled": false, "default_balance": 1.5, "default_concurrency": 7, "default_subscriptions": [{"group_id": 1, "validity_days": 30}],
          "site_name": "Relay", "site_logo": "", "site_subtitle": "", "api_base_url": "", "contact_info": "", "doc_url": "",
          "home_content": "", "hide_ccs_import_button": false, "purchase_subscription_enabled": false, "purchase_subscription_url": "",
          "table_default_page_size": 20, "table_page_size_options": [10, 20, 50], "custom_menu_items": [], "custom_endpoints": [],
          "smtp_host": "", "smtp_port": 587, "smtp_username": "", "smtp_password": "", "smtp_from_email": "", "smtp_from_name": "",
          "smtp_use_tls": true, "turnstile_enabled": false, "turnstile_site_key": "", "turnstile_secret_key": "",
          "linuxdo_connect_enabled": false, "linuxdo_connect_client_id": "", "linuxdo_connect_client_secret": "",
          "linuxdo_connect_redirect_url": "", "enable_model_fallback": false, "fallback_model_anthropic": "claude-sonnet-4-5",
          "fallback_model_openai": "gpt-4o", "fallback_model_gemini": "", "fallback_model_antigravity": "",
          "enable_identity_patch": true, "identity_patch_prompt": "", "ops_monitoring_enabled": true,
          "ops_realtime_monitoring_enabled": true, "ops_query_mode_default": "auto", "ops_metrics_interval_seconds": 60,
          "min_claude_code_version": "", "allow_ungrouped_key_scheduling": false, "enable_fingerprint_unification": true
        }
        """;
        var saved = (await admin.PutAsync("/api/v1/admin/settings", body)).Data;
        Assert.Equal("Relay", saved.GetProperty("site_name").GetString());
        Assert.Equal(7, saved.GetProperty("default_concurrency").GetInt32());
        Assert.Equal(1.5m, saved.GetProperty("default_balance").GetDecimal());
    }

    [Fact]
    public async Task System_Version_CheckUpdates_AndSelfUpdateRefused()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("alice@example.com");

        var version = (await admin.GetAsync("/api/v1/admin/system/version")).Data.GetProperty("version").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.Equal(version, (await app.Api().GetAsync("/api/v1/settings/public")).Data.GetProperty("version").GetString());

        var check = (await admin.GetAsync("/api/v1/admin/system/check-updates?force=true")).Data;
        Assert.Equal(version, check.GetProperty("current_version").GetString());
        Assert.Equal(version, check.GetProperty("latest_version").GetString());
        Assert.False(check.GetProperty("has_update").GetBoolean());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("release_info").ValueKind);

        foreach (var operation in new[] { "update", "rollback", "restart" })
        {
            var refused = (await admin.PostAsync($"/api/v1/admin/system/{operation}")).ShouldFail(HttpStatusCode.BadRequest);
            Assert.Contains("self-update is not supported", refused.Message);
            (await user.PostAsync($"/api/v1/admin/system/{operation}")).ShouldFail(HttpStatusCode.Forbidden);
        }
        (await user.GetAsync("/api/v1/admin/system/version")).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync("/api/v1/admin/system/check-updates")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Setup_IsAlwaysComplete_AndTheWizardIsRefused()
    {
        await using var app = new Sub2ApiFactory();
        var anonymous = app.Api();

        var status = await anonymous.GetAsync("/setup/status");
        Assert.Equal(0, status.Body.GetProperty("code").GetInt32());
        Assert.False(status.Data.GetProperty("needs_setup").GetBoolean());
        Assert.Equal("completed", status.Data.GetProperty("step").GetString());

        foreach (var action in new[] { "test-db", "test-redis", "install" })
        {
            (await anonymous.PostAsync($"/setup/{action}", new { host = "db", port = 5432 })).ShouldFail(HttpStatusCode.Forbidden);
        }
    }
}

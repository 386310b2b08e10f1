using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Ops.Alerts;

namespace Sub2Api.FunctionalTests.Ops.Alerts;

/// <summary>
/// Ops alerting end to end: rules over the admin API, the leased evaluator measuring the real tables, and the
/// notifications arriving at a real webhook receiver and a real (fake) SMTP server on 127.0.0.1.
/// </summary>
public sealed class OpsAlertsTests
{
    private const string Rules = "/api/v1/admin/ops/alert-rules";
    private const string Events = "/api/v1/admin/ops/alert-events";
    private const string Silences = "/api/v1/admin/ops/alert-silences";
    private const string Config = "/api/v1/admin/ops/email-notification/config";
    private const string WebhookSecret = "whsec-test-secret-0123456789";
    private const string SmtpPassword = "smtp-password-secret-9876";

    /// <summary>A gateway whose evaluator ticks every <paramref name="intervalSeconds"/> (an hour: the tests drive it by hand).</summary>
    private static async Task<(RelayScenario Scenario, ApiClient Admin)> StartAsync(double intervalSeconds = 3600)
    {
        var scenario = await RelayScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Ops:Alerts:EvaluationInterval"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return (scenario, await scenario.App.AdminAsync());
    }

    private static Task EvaluateAsync(RelayScenario s) =>
        s.App.Services.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(TestContext.Current.CancellationToken);

    /// <param name="smtpOnSettingsPage">Mail through the settings page's SMTP server (what every mail of the gateway uses)
    /// instead of a server named in the notification config.</param>
    private static async Task ConfigureAsync(ApiClient admin, WebhookReceiver? webhook, FakeSmtpServer? smtp, bool smtpOnSettingsPage = false)
    {
        if (smtpOnSettingsPage)
        {
            (await admin.PutAsync("/api/v1/admin/settings", new
            {
                smtp_host = "127.0.0.1", smtp_port = smtp?.Port ?? 25, smtp_from_email = "alerts@example.com", smtp_use_tls = false,
            })).ShouldSucceed();
        }
        (await admin.PutAsync(Config, new
        {
            webhook_url = webhook?.Url ?? "",
            webhook_secret = WebhookSecret,
            email_enabled = smtp is not null,
            recipients = new[] { "oncall@example.com" },
            smtp = smtpOnSettingsPage
                ? new { host = "", port = 25, username = "", password = "", from = "", use_tls = false }
                : new { host = "127.0.0.1", port = smtp?.Port ?? 25, username = "", password = SmtpPassword, from = "alerts@example.com", use_tls = false },
            min_severity = "P2",
        })).ShouldSucceed();
    }

    private static async Task<long> CreateRuleAsync(ApiClient admin, string metricType = "account_error_count", string op = ">",
        double threshold = 0, int cooldown = 0, string severity = "P1", object? filters = null, bool notifyEmail = true)
    {
        var created = await admin.PostAsync(Rules, new
        {
            name = "Accounts in error",
            description = "any account benched",
            severity,
            metric_type = metricType,
            @operator = op,
            threshold,
            window_minutes = 5,
            sustained_minutes = 0,
            cooldown_minutes = cooldown,
            notify_email = notifyEmail,
            notify_webhook = true,
            filters,
        });
        return created.Data.GetProperty("id").GetInt64();
    }

    private static Task MarkErrorAsync(RelayScenario s, long accountId) =>
        s.UpdateAccountAsync(accountId, a => { a.Status = Statuses.Error; a.ErrorMessage = "broken"; });

    private static string Sign(byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), body));

    [Fact]
    public async Task AccountFails_WebhookAndMailFire_ClearError_WebhookResolves()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = FakeSmtpServer.Start();
        var (s, admin) = await StartAsync(intervalSeconds: 0.2);
        await using var _ = s;
        await ConfigureAsync(admin, webhook, smtp, smtpOnSettingsPage: true);
        var ruleId = await CreateRuleAsync(admin);
        var broken = await s.AddApiKeyAccountAsync("auth401", priority: 1);
        await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        // The 401 benches the first account (status error) and the second serves the request.
        var (status, body) = await s.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(Statuses.Error, (await s.AccountAsync(broken)).Status);

        await RelayScenario.WaitUntilAsync(() => Task.FromResult(webhook.Calls.Any(c => c.Status == "firing")), TimeSpan.FromSeconds(15),
            "the webhook gets the firing notification");
        var firing = webhook.Calls.Single(c => c.Status == "firing");
        Assert.Equal(Sign(firing.Body), firing.Signature);
        Assert.StartsWith("application/json", firing.ContentType, StringComparison.Ordinal);
        var json = firing.Json;
        Assert.Equal(ruleId, json.GetProperty("rule").GetProperty("id").GetInt64());
        Assert.Equal("account_error_count", json.GetProperty("rule").GetProperty("metric_type").GetString());
        Assert.Equal(">", json.GetProperty("rule").GetProperty("operator").GetString());
        Assert.Equal("P1", json.GetProperty("rule").GetProperty("severity").GetString());
        Assert.Equal(1, json.GetProperty("event").GetProperty("metric_value").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("event").GetProperty("resolved_at").ValueKind);
        Assert.Equal(JsonValueKind.Object, json.GetProperty("dimensions").ValueKind);

        await RelayScenario.WaitUntilAsync(() => Task.FromResult(smtp.Messages.Count >= 1), TimeSpan.FromSeconds(15), "the mail arrives");
        var mail = smtp.Messages[0];
        Assert.Equal(["oncall@example.com"], mail.Recipients);
        Assert.StartsWith("[Sub2Api][P1] Accounts in error", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith("firing", mail.Subject, StringComparison.Ordinal);

        // The admin puts the account back: the next evaluation resolves the event and says so.
        (await admin.PostAsync($"/api/v1/admin/accounts/{broken}/clear-error")).ShouldSucceed();
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(webhook.Calls.Any(c => c.Status == "resolved")), TimeSpan.FromSeconds(15),
            "the webhook gets the resolved notification");
        var resolved = webhook.Calls.Single(c => c.Status == "resolved");
        Assert.Equal(Sign(resolved.Body), resolved.Signature);
        Assert.Equal(firing.Json.GetProperty("event").GetProperty("id").GetInt64(), resolved.Json.GetProperty("event").GetProperty("id").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, resolved.Json.GetProperty("event").GetProperty("resolved_at").ValueKind);
        Assert.Single(webhook.Calls, c => c.Status == "firing"); // no second firing while the first was open

        var events = (await admin.GetAsync($"{Events}?rule_id={ruleId}")).Data;
        Assert.Equal(1, events.GetProperty("total").GetInt64());
        var row = events.GetProperty("items")[0];
        Assert.Equal("resolved", row.GetProperty("status").GetString());
        Assert.Equal("Accounts in error", row.GetProperty("rule_name").GetString());
        Assert.Equal("P1", row.GetProperty("severity").GetString());
        Assert.Equal(0, row.GetProperty("threshold_value").GetDouble());
        Assert.True(row.GetProperty("webhook_sent").GetBoolean());
        Assert.True(row.GetProperty("email_sent").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, (await admin.GetAsync($"{Rules}/{ruleId}")).Data.GetProperty("last_triggered_at").ValueKind);
    }

    [Fact]
    public async Task Rules_Crud_AndValidation()
    {
        var (s, admin) = await StartAsync();
        await using var _ = s;
        var id = await CreateRuleAsync(admin, "group_available_ratio", "<", 50, filters: new { platform = "anthropic", group_id = s.GroupId });
        var rule = (await admin.GetAsync($"{Rules}/{id}")).Data;
        Assert.Equal("group_available_ratio", rule.GetProperty("metric_type").GetString());
        Assert.Equal("anthropic", rule.GetProperty("filters").GetProperty("platform").GetString());
        Assert.Equal(s.GroupId, rule.GetProperty("filters").GetProperty("group_id").GetInt64());
        Assert.True(rule.GetProperty("enabled").GetBoolean());
        Assert.Equal(5, rule.GetProperty("window_minutes").GetInt32());

        var updated = (await admin.PutAsync($"{Rules}/{id}", new { threshold = 25.5, enabled = false })).Data;
        Assert.Equal(25.5, updated.GetProperty("threshold").GetDouble());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal("<", updated.GetProperty("operator").GetString()); // untouched fields keep their value
        Assert.Equal(1, (await admin.GetAsync(Rules)).Data.GetArrayLength());

        object Body(string metric = "error_rate", string op = ">", string severity = "P2", int window = 5, int sustained = 0,
            int cooldown = 10, string name = "r", object? filters = null) => new
        {
            name, metric_type = metric, @operator = op, threshold = 1, severity, window_minutes = window, sustained_minutes = sustained,
            cooldown_minutes = cooldown, filters,
        };
        var bad = new (object Body, string Expected)[]
        {
            (Body(metric: "latency_p99"), "metric_type"),
            (Body(op: "=>"), "operator"),
            (Body(severity: "P4"), "severity"),
            (Body(window: 0), "window_minutes"),
            (Body(window: 1441), "window_minutes"),
            (Body(sustained: -1), "sustained_minutes"),
            (Body(sustained: 1441), "sustained_minutes"),
            (Body(cooldown: 10081), "cooldown_minutes"),
            (Body(name: " "), "name"),
            (Body(name: new string('x', 129)), "name"),
            (Body(filters: new { model = "claude" }), "unknown dimension 'model'"),
            (Body(filters: new { platform = "nope" }), "filters.platform"),
            (Body(filters: new { group_id = "1" }), "filters.group_id"),
            (Body(filters: new { group_id = 987654 }), "group 987654 not found"),
            (Body(metric: "group_available_accounts"), "needs filters.group_id"),
            (Body(filters: "anthropic"), "filters must be an object"),
            (new { name = "r" }, "required"),
        };
        foreach (var (body, expected) in bad)
        {
            var result = (await admin.PostAsync(Rules, body)).ShouldFail(HttpStatusCode.BadRequest);
            Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        }
        (await admin.PostAsync(Rules, "{\"name\":\"r\",\"metric_type\":\"error_rate\",\"operator\":\">\",\"threshold\":\"x\"}"))
            .ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync($"{Rules}/{id}", new { window_minutes = 0 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Rules}/999999")).ShouldFail(HttpStatusCode.NotFound);
        foreach (var path in new[] { $"{Rules}/abc", $"{Events}/1.5", $"{Silences}/x" })
        {
            var result = path.StartsWith(Silences, StringComparison.Ordinal) ? await admin.DeleteAsync(path) : await admin.GetAsync(path);
            Assert.Contains("id", result.ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        }
        (await admin.PutAsync($"{Rules}/999999", new { threshold = 1 })).ShouldFail(HttpStatusCode.NotFound);

        (await admin.DeleteAsync($"{Rules}/{id}")).ShouldSucceed();
        (await admin.GetAsync($"{Rules}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Rules}/{id}")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NonAdmin_IsForbidden_Anonymous_IsUnauthorized()
    {
        var (s, _) = await StartAsync();
        await using var _ = s;
        var (user, _) = await s.App.CreateUserAsync("alerts-user@example.com");
        foreach (var path in new[] { Rules, Events, Silences, Config })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(path)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await s.App.Api().GetAsync(path)).Status);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync(Rules, new { name = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync("/api/v1/admin/ops/email-notification/test")).Status);
    }

    [Fact]
    public async Task Silence_SuppressesFiring_UntilDeleted()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        var (s, admin) = await StartAsync();
        await using var _ = s;
        await ConfigureAsync(admin, webhook, smtp: null);
        var ruleId = await CreateRuleAsync(admin);
        await MarkErrorAsync(s, await s.AddApiKeyAccountAsync("ok"));

        var silence = (await admin.PostAsync(Silences, new { rule_id = ruleId, until = DateTime.UtcNow.AddHours(1), reason = "maintenance" })).Data;
        Assert.Equal("maintenance", silence.GetProperty("reason").GetString());
        Assert.NotEqual(JsonValueKind.Null, silence.GetProperty("created_by").ValueKind);
        Assert.Equal(1, (await admin.GetAsync(Silences)).Data.GetArrayLength());
        // The silence names no platform or group, so it covers the rule whatever its dimensions.
        await EvaluateAsync(s);
        Assert.Equal(0, (await admin.GetAsync(Events)).Data.GetProperty("total").GetInt64());
        Assert.Empty(webhook.Calls);

        (await admin.DeleteAsync($"{Silences}/{silence.GetProperty("id").GetInt64()}")).ShouldSucceed();
        await EvaluateAsync(s);
        var events = (await admin.GetAsync($"{Events}?status=firing")).Data;
        Assert.Equal(1, events.GetProperty("total").GetInt64());
        Assert.Single(webhook.Calls);

        (await admin.PostAsync(Silences, new { rule_id = ruleId, until = DateTime.UtcNow.AddHours(-1) })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(Silences, new { until = DateTime.UtcNow.AddHours(1) })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(Silences, new { rule_id = ruleId, until = DateTime.UtcNow.AddHours(1), platform = "nope" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(Silences, new { rule_id = 99999, until = DateTime.UtcNow.AddHours(1) })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Silences}/99999")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PlatformSilence_DoesNotCoverRuleOverAllPlatforms()
    {
        var (s, admin) = await StartAsync();
        await using var _ = s;
        var ruleId = await CreateRuleAsync(admin);
        await MarkErrorAsync(s, await s.AddApiKeyAccountAsync("ok"));
        (await admin.PostAsync(Silences, new { rule_id = ruleId, until = DateTime.UtcNow.AddHours(1), platform = "openai" })).ShouldSucceed();

        await EvaluateAsync(s);

        Assert.Equal(1, (await admin.GetAsync($"{Events}?status=firing")).Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task ManualResolve_ThenCooldownHoldsBackRefiring_UntilItPasses()
    {
        var (s, admin) = await StartAsync();
        await using var _ = s;
        var ruleId = await CreateRuleAsync(admin, cooldown: 60);
        await MarkErrorAsync(s, await s.AddApiKeyAccountAsync("ok"));
        await EvaluateAsync(s);
        await EvaluateAsync(s); // still breaching, still the same single firing event
        var list = (await admin.GetAsync(Events)).Data;
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        var eventId = list.GetProperty("items")[0].GetProperty("id").GetInt64();
        var detail = (await admin.GetAsync($"{Events}/{eventId}")).Data;
        Assert.Equal("firing", detail.GetProperty("status").GetString());
        Assert.Equal(1, detail.GetProperty("metric_value").GetDouble());
        Assert.False(detail.GetProperty("webhook_sent").GetBoolean()); // no channel configured

        (await admin.PutAsync($"{Events}/{eventId}/status", new { status = "resolved" })).ShouldFail(HttpStatusCode.BadRequest);
        var closed = (await admin.PutAsync($"{Events}/{eventId}/status", new { status = "manual_resolved" })).Data;
        Assert.Equal("manual_resolved", closed.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, closed.GetProperty("resolved_at").ValueKind);
        (await admin.PutAsync($"{Events}/{eventId}/status", new { status = "manual_resolved" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync($"{Events}/999999/status", new { status = "manual_resolved" })).ShouldFail(HttpStatusCode.NotFound);

        // Still breaching, but the 60-minute cooldown since the last firing holds a new event back.
        await EvaluateAsync(s);
        Assert.Equal(1, (await admin.GetAsync(Events)).Data.GetProperty("total").GetInt64());

        // An hour and a bit later (moved in the data) the cooldown has passed and the rule fires again.
        await s.App.WithDbAsync(db => db.OpsAlertRules.Where(r => r.Id == ruleId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LastTriggeredAt, DateTime.UtcNow.AddMinutes(-61))));
        await EvaluateAsync(s);
        var after = (await admin.GetAsync($"{Events}?status=firing")).Data;
        Assert.Equal(1, after.GetProperty("total").GetInt64());
        Assert.NotEqual(eventId, after.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal(2, (await admin.GetAsync($"{Events}?time_range=1h")).Data.GetProperty("total").GetInt64());
        Assert.Equal(1, (await admin.GetAsync($"{Events}?status=manual_resolved&severity=P1")).Data.GetProperty("total").GetInt64());
        Assert.Equal(0, (await admin.GetAsync($"{Events}?severity=P0")).Data.GetProperty("total").GetInt64());

        (await admin.GetAsync($"{Events}?status=open")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Events}?time_range=2h")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Events}?start_time=yesterday")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Events}?rule_id=abc")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Events}/999999")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SustainedMinutes_WaitForTheBreachToHold()
    {
        var (s, admin) = await StartAsync();
        await using var _ = s;
        var ruleId = await CreateRuleAsync(admin);
        (await admin.PutAsync($"{Rules}/{ruleId}", new { sustained_minutes = 5 })).ShouldSucceed();
        await MarkErrorAsync(s, await s.AddApiKeyAccountAsync("ok"));

        await EvaluateAsync(s);
        Assert.Equal(0, (await admin.GetAsync(Events)).Data.GetProperty("total").GetInt64());

        await s.App.WithDbAsync(db => db.OpsAlertRules.Where(r => r.Id == ruleId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.BreachingSince, DateTime.UtcNow.AddMinutes(-6))));
        await EvaluateAsync(s);
        Assert.Equal(1, (await admin.GetAsync(Events)).Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task NotificationConfig_SecretsAreMaskedEncryptedAndKeptWhenSentBackMasked()
    {
        var (s, admin) = await StartAsync();
        await using var _ = s;
        var empty = (await admin.GetAsync(Config)).Data;
        Assert.Equal("", empty.GetProperty("webhook_secret").GetString());
        Assert.Equal("", empty.GetProperty("smtp").GetProperty("password").GetString());

        var saved = (await admin.PutAsync(Config, new
        {
            webhook_url = "http://127.0.0.1:9/hook",
            webhook_secret = WebhookSecret,
            email_enabled = true,
            recipients = new[] { "a@example.com", "b@example.com" },
            smtp = new { host = "smtp.example.com", port = 2525, username = "mailer", password = SmtpPassword, from = "alerts@example.com", use_tls = true },
            min_severity = "P1",
        })).Data;
        Assert.Equal("***" + WebhookSecret[^4..], saved.GetProperty("webhook_secret").GetString());
        Assert.Equal("***" + SmtpPassword[^4..], saved.GetProperty("smtp").GetProperty("password").GetString());
        Assert.Equal(2525, saved.GetProperty("smtp").GetProperty("port").GetInt32());
        Assert.Equal("P1", saved.GetProperty("min_severity").GetString());
        Assert.Equal(2, saved.GetProperty("recipients").GetArrayLength());

        // Never in clear: not in any answer, not in the settings table, not through the generic settings API.
        var read = (await admin.GetAsync(Config)).Body.GetRawText();
        var settings = (await admin.GetAsync("/api/v1/admin/settings")).Body.GetRawText();
        var stored = await s.App.WithDbAsync(db => db.Settings.AsNoTracking()
            .Where(x => x.Key == "ops_alert_notification_config").Select(x => x.Value).SingleAsync());
        foreach (var text in new[] { read, settings, stored })
        {
            Assert.DoesNotContain(WebhookSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SmtpPassword, text, StringComparison.Ordinal);
        }
        Assert.Contains("smtp.example.com", stored, StringComparison.Ordinal);

        // The page sends the masked values back with another change: the secrets stay as they were.
        var masked = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(read)!["data"];
        (await admin.PutAsync(Config, new
        {
            webhook_url = "http://127.0.0.1:10/hook",
            webhook_secret = masked.GetProperty("webhook_secret").GetString(),
            smtp = new { password = masked.GetProperty("smtp").GetProperty("password").GetString() },
        })).ShouldSucceed();
        var config = await s.App.Services.GetRequiredService<AlertNotificationSettings>().LoadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(WebhookSecret, config.WebhookSecret);
        Assert.Equal(SmtpPassword, config.Smtp.Password);
        Assert.Equal("http://127.0.0.1:10/hook", config.WebhookUrl);
        Assert.Equal("smtp.example.com", config.Smtp.Host);

        // An empty string clears a secret.
        (await admin.PutAsync(Config, new { webhook_secret = "" })).ShouldSucceed();
        Assert.Equal("", (await admin.GetAsync(Config)).Data.GetProperty("webhook_secret").GetString());

        (await admin.PutAsync(Config, new { webhook_url = "ftp://x" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(Config, new { recipients = new[] { "not-an-email" } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(Config, new { min_severity = "P9" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(Config, new { smtp = new { port = 70000 } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync(Config, new { email_enabled = true, recipients = Array.Empty<string>() })).ShouldFail(HttpStatusCode.BadRequest);

        // The generic settings API neither shows the row nor writes it (it would bypass this API's checks).
        Assert.DoesNotContain("ops_alert_notification_config", settings, StringComparison.Ordinal);
        (await admin.PutAsync("/api/v1/admin/settings", new Dictionary<string, string> { ["ops_alert_notification_config"] = "{}" })).ShouldSucceed();
        Assert.Equal("http://127.0.0.1:10/hook", (await admin.GetAsync(Config)).Data.GetProperty("webhook_url").GetString());

        // A row edited by hand into something unreadable (or with nulls) reads as unconfigured instead of failing.
        foreach (var junk in new[] { "{\"webhook_url\":null,\"smtp\":null,\"recipients\":null}", "not json", "[1,2]" })
        {
            await s.App.Services.GetRequiredService<Sub2Api.Settings.SettingsStore>().SetAsync(
                new Dictionary<string, string> { [AlertNotificationSettings.SettingKey] = junk }, TestContext.Current.CancellationToken);
            var shown = (await admin.GetAsync(Config)).Data;
            Assert.Equal("", shown.GetProperty("webhook_url").GetString());
            Assert.Equal("", shown.GetProperty("smtp").GetProperty("host").GetString());
            Assert.Equal(0, shown.GetProperty("recipients").GetArrayLength());
        }
    }

    [Fact]
    public async Task TestNotification_ReportsEachChannel()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = FakeSmtpServer.Start();
        var (s, admin) = await StartAsync();
        await using var _ = s;
        await ConfigureAsync(admin, webhook, smtp);

        var result = (await admin.PostAsync("/api/v1/admin/ops/email-notification/test")).Data;

        Assert.True(result.GetProperty("webhook").GetProperty("success").GetBoolean());
        Assert.True(result.GetProperty("email").GetProperty("success").GetBoolean());
        Assert.Equal("test", Assert.Single(webhook.Calls).Status);
        Assert.Equal(Sign(webhook.Calls[0].Body), webhook.Calls[0].Signature);
        Assert.Contains("test notification", Assert.Single(smtp.Messages).Subject, StringComparison.Ordinal);

        // A webhook that refuses, and an SMTP server that is gone: each channel says why, without failing the call.
        webhook.StatusCode = 500;
        await smtp.DisposeAsync();
        var failed = (await admin.PostAsync("/api/v1/admin/ops/email-notification/test")).Data;
        Assert.False(failed.GetProperty("webhook").GetProperty("success").GetBoolean());
        Assert.Contains("500", failed.GetProperty("webhook").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(failed.GetProperty("email").GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("email").GetProperty("error").GetString()));
        Assert.Equal(3, webhook.Calls.Count); // the refused call was retried once
    }

    [Fact]
    public async Task FailingWebhook_IsRecordedOnTheEvent_AndMailBelowMinSeverityIsNotSent()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = FakeSmtpServer.Start();
        var (s, admin) = await StartAsync();
        await using var _ = s;
        await ConfigureAsync(admin, webhook, smtp); // min_severity P2
        webhook.StatusCode = 503;
        await CreateRuleAsync(admin, severity: "P3");
        await MarkErrorAsync(s, await s.AddApiKeyAccountAsync("ok"));

        await EvaluateAsync(s);

        var row = (await admin.GetAsync(Events)).Data.GetProperty("items")[0];
        Assert.Equal("firing", row.GetProperty("status").GetString());
        Assert.False(row.GetProperty("webhook_sent").GetBoolean());
        Assert.False(row.GetProperty("email_sent").GetBoolean());
        Assert.Equal(2, webhook.Calls.Count); // one retry
        Assert.Empty(smtp.Messages); // P3 is milder than the configured P2
    }

    [Fact]
    public async Task RateMetrics_CountSuccessesAndNonClientErrors_AndIdleIsNotMeasured()
    {
        var (s, _) = await StartAsync();
        await using var _ = s;
        var source = s.App.Services.GetRequiredService<AlertMetricSource>();
        var ct = TestContext.Current.CancellationToken;
        var now = DateTime.UtcNow;
        Assert.Null(await source.MeasureAsync("error_rate", 5, AlertFilters.None, now, ct));

        var account = await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        await s.FlushUsageAsync();
        await s.App.WithDbAsync(async db =>
        {
            OpsErrorLog Row(string kind, string owner, DateTime at) => new()
            {
                CreatedAt = at, Kind = kind, Phase = "upstream", Type = "api_error", Owner = owner, Severity = "P2", StatusCode = 502,
                Platform = Platforms.Anthropic, RequestId = Guid.NewGuid().ToString("N"), Message = "boom", AccountId = account, GroupId = s.GroupId,
            };
            db.OpsErrorLogs.AddRange(
                Row("request", "provider", now), Row("request", "platform", now), Row("request", "client", now),
                Row("upstream", "provider", now), Row("upstream", "provider", now), Row("upstream", "provider", now),
                Row("request", "provider", now.AddMinutes(-30)));
            await db.SaveChangesAsync();
        });

        // 1 success + 2 counted request errors (the client's own and the one outside the window are not counted).
        Assert.Equal(200.0 / 3, (await source.MeasureAsync("error_rate", 5, AlertFilters.None, now.AddSeconds(1), ct))!.Value, 6);
        Assert.Equal(100.0 / 3, (await source.MeasureAsync("success_rate", 5, AlertFilters.None, now.AddSeconds(1), ct))!.Value, 6);
        Assert.Equal(100.0, (await source.MeasureAsync("upstream_error_rate", 5, AlertFilters.None, now.AddSeconds(1), ct))!.Value, 6);
        Assert.Equal(100.0 / 3, (await source.MeasureAsync("success_rate", 5, new AlertFilters("anthropic", s.GroupId), now.AddSeconds(1), ct))!.Value, 6);
        Assert.Null(await source.MeasureAsync("success_rate", 5, new AlertFilters("openai", null), now.AddSeconds(1), ct));

        Assert.Equal(1, await source.MeasureAsync("group_available_accounts", 5, new AlertFilters(null, s.GroupId), now, ct));
        Assert.Equal(100, await source.MeasureAsync("group_available_ratio", 5, new AlertFilters(null, s.GroupId), now, ct));
        await s.UpdateAccountAsync(account, a => a.RateLimitResetAt = DateTime.UtcNow.AddMinutes(10));
        Assert.Equal(1, await source.MeasureAsync("account_rate_limited_count", 5, AlertFilters.None, DateTime.UtcNow, ct));
        Assert.Equal(0, await source.MeasureAsync("group_available_ratio", 5, new AlertFilters(null, s.GroupId), DateTime.UtcNow, ct));
        Assert.Equal(0, await source.MeasureAsync("concurrency_queue_depth", 5, AlertFilters.None, DateTime.UtcNow, ct));
    }
}

internal static class AlertApiResultExtensions
{
    /// <summary>Asserts a success envelope (the result's data is not needed).</summary>
    public static void ShouldSucceed(this ApiResult result) => _ = result.Data;
}

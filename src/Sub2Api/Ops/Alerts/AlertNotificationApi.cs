using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Alerts;

/// <summary>
/// <c>/api/v1/admin/ops/email-notification/{config,test}</c>: where alerts are sent (secrets masked on the way out,
/// kept when sent back masked) and a test notification on each configured channel.
/// </summary>
internal static class AlertNotificationApi
{
    private const int MaxRecipients = 50;

    public static void MapAlertNotifications(this RouteGroupBuilder ops)
    {
        var notifications = ops.MapGroup("/email-notification");
        notifications.MapGet("/config", async (AlertNotificationSettings settings, CancellationToken ct) =>
            Api.Ok(AlertNotificationSettings.ToDto(await settings.LoadAsync(ct))));
        notifications.MapPut("/config", UpdateAsync);
        notifications.MapPost("/test", TestAsync);
    }

    private static async Task<IResult> UpdateAsync(AlertNotificationConfigRequest req, AlertNotificationSettings settings, CancellationToken ct)
    {
        var current = await settings.LoadAsync(ct);
        var smtp = req.Smtp;
        var config = current with
        {
            WebhookUrl = req.WebhookUrl?.Trim() ?? current.WebhookUrl,
            WebhookSecret = AlertNotificationSettings.Merge(req.WebhookSecret, current.WebhookSecret),
            EmailEnabled = req.EmailEnabled ?? current.EmailEnabled,
            Recipients = req.Recipients?.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
                ?? current.Recipients,
            Smtp = smtp is null ? current.Smtp : current.Smtp with
            {
                Host = smtp.Host?.Trim() ?? current.Smtp.Host,
                Port = smtp.Port ?? current.Smtp.Port,
                Username = smtp.Username?.Trim() ?? current.Smtp.Username,
                Password = AlertNotificationSettings.Merge(smtp.Password, current.Smtp.Password),
                From = smtp.From?.Trim() ?? current.Smtp.From,
                UseTls = smtp.UseTls ?? current.Smtp.UseTls,
            },
            MinSeverity = req.MinSeverity?.Trim().ToUpperInvariant() ?? current.MinSeverity,
        };
        if (Check(config) is { } error)
        {
            return Api.BadRequest(error);
        }
        await settings.SaveAsync(config, ct);
        return Api.Ok(AlertNotificationSettings.ToDto(config));
    }

    private static string? Check(AlertNotificationConfig c) => Validate.First(
        c.WebhookUrl.Length > 0 && !(Uri.TryCreate(c.WebhookUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            ? "webhook_url must be an http(s) URL or empty" : null,
        c.WebhookUrl.Length > 2000 ? "webhook_url must be at most 2000 characters" : null,
        c.WebhookSecret.Length > 500 ? "webhook_secret must be at most 500 characters" : null,
        c.Recipients.Count > MaxRecipients ? $"recipients may hold at most {MaxRecipients} addresses" : null,
        c.Recipients.Select(r => Validate.Email(r, $"recipient '{(r.Length > 64 ? r[..64] + "…" : r)}'")).FirstOrDefault(e => e is not null),
        Validate.OneOf(c.MinSeverity, "min_severity", AlertCatalog.Severities),
        Validate.Range(c.Smtp.Port, "smtp.port", 1, 65535),
        c.Smtp.Host.Length > 255 ? "smtp.host must be at most 255 characters" : null,
        c.Smtp.Username.Length > 255 || c.Smtp.Password.Length > 500 ? "smtp.username or smtp.password is too long" : null,
        c.Smtp.From.Length > 0 ? Validate.Email(c.Smtp.From, "smtp.from") : null,
        c.EmailEnabled && c.Recipients.Count == 0 ? "at least one recipient is required when email_enabled is true" : null);

    /// <summary>A test notification on each configured channel, reported per channel (sent, or why not).</summary>
    private static async Task<IResult> TestAsync(AlertNotificationSettings settings, AlertNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        var config = await settings.LoadAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var rule = new OpsAlertRule
        {
            Name = "Test notification",
            MetricType = AlertCatalog.ErrorRate,
            Operator = ">",
            Threshold = 0,
            Severity = "P3",
            NotifyEmail = true,
            NotifyWebhook = true,
        };
        var alert = new OpsAlertEvent
        {
            Severity = "P3",
            Status = AlertCatalog.Firing,
            Title = "Sub2Api test notification",
            Description = "This is a test of the ops alert notification channels.",
            FiredAt = now,
        };
        var webhook = config.WebhookUrl.Length == 0
            ? new ChannelResult(false, false, "webhook_url is not configured")
            : await notifier.SendWebhookAsync(config, AlertNotifier.Payload(rule, alert, "test"), ct);
        var email = !config.EmailEnabled ? new ChannelResult(false, false, "email is not enabled")
            : await notifier.SendEmailAsync(config, $"[Sub2Api][P3] {alert.Title}", alert.Description, ct);
        return Api.Ok(new
        {
            webhook = new { attempted = webhook.Attempted, success = webhook.Success, error = webhook.Error },
            email = new { attempted = email.Attempted, success = email.Success, error = email.Error },
        });
    }
}

using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.Email;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Ops.Alerts;

/// <summary>The outcome of one channel: sent, or the reason it was not (never containing a secret).</summary>
internal sealed record ChannelResult(bool Attempted, bool Success, string? Error)
{
    public static readonly ChannelResult Skipped = new(false, false, null);
}

/// <summary>
/// Sends alert notifications: a JSON webhook (signed with HMAC-SHA256 of the body under the webhook secret, in
/// <c>X-Sub2Api-Signature: sha256=&lt;hex&gt;</c>; 5 s per attempt, one retry) and an email through SMTP. Failures are
/// logged by kind only — a webhook URL may itself carry a token, and SMTP errors may echo credentials.
/// </summary>
internal sealed partial class AlertNotifier(IHttpClientFactory httpClients, EmailSender email, SettingsStore settings, SecretProtector protector,
    ILogger<AlertNotifier> logger)
{
    public const string HttpClientName = "ops-alert-webhook";
    public const string SignatureHeader = "X-Sub2Api-Signature";
    public static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Sends a firing or resolved notification on the channels the rule and the config turn on.</summary>
    public async Task<(ChannelResult Webhook, ChannelResult Email)> NotifyAsync(AlertNotificationConfig config, OpsAlertRule rule,
        OpsAlertEvent alert, string status, CancellationToken cancellationToken)
    {
        var webhook = ChannelResult.Skipped;
        if (rule.NotifyWebhook && config.WebhookUrl.Length > 0)
        {
            webhook = await SendWebhookAsync(config, Payload(rule, alert, status), cancellationToken);
        }
        var email = ChannelResult.Skipped;
        if (rule.NotifyEmail && config.EmailEnabled && config.Recipients.Count > 0 && AlertCatalog.AtLeast(alert.Severity, config.MinSeverity))
        {
            email = await SendEmailAsync(config, $"[Sub2Api][{alert.Severity}] {alert.Title} {status}", EmailBody(rule, alert, status),
                cancellationToken);
        }
        return (webhook, email);
    }

    /// <summary>The webhook body: what fired, the rule behind it, and the dimensions it was measured on.</summary>
    public static byte[] Payload(OpsAlertRule rule, OpsAlertEvent alert, string status) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        status,
        rule = new { id = rule.Id, name = rule.Name, metric_type = rule.MetricType, @operator = rule.Operator, threshold = rule.Threshold, severity = rule.Severity },
        @event = new
        {
            id = alert.Id,
            title = alert.Title,
            description = alert.Description,
            metric_value = alert.MetricValue,
            fired_at = alert.FiredAt,
            resolved_at = alert.ResolvedAt,
        },
        dimensions = AlertFilters.Parse(alert.Dimensions),
    }, AlertJson.Options);

    /// <summary><c>sha256=</c> + lower-case hex HMAC-SHA256 of the exact body bytes.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task<ChannelResult> SendWebhookAsync(AlertNotificationConfig config, byte[] body, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(config.WebhookUrl, UriKind.Absolute, out var url))
        {
            return new ChannelResult(true, false, "webhook_url is not a valid URL");
        }
        var client = httpClients.CreateClient(HttpClientName);
        string? error = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (config.WebhookSecret.Length > 0)
            {
                request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(body, config.WebhookSecret));
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(WebhookTimeout);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return new ChannelResult(true, true, null);
                }
                error = $"webhook answered HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                error = $"webhook request failed ({e.HttpRequestError})";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"webhook timed out after {WebhookTimeout.TotalSeconds:0} s";
            }
        }
        Log.WebhookFailed(logger, error!);
        return new ChannelResult(true, false, error);
    }

    /// <summary>
    /// Mails the recipients through the SMTP server of the notification config when it names one, else through the
    /// settings page's server (<c>smtp_*</c>) that all of the gateway's mail uses.
    /// </summary>
    public async Task<ChannelResult> SendEmailAsync(AlertNotificationConfig config, string subject, string text, CancellationToken cancellationToken)
    {
        var smtp = config.Smtp.Host.Length > 0
            ? new SmtpSettings(config.Smtp.Host, config.Smtp.Port, config.Smtp.Username, config.Smtp.Password, config.Smtp.From, "Sub2Api", config.Smtp.UseTls)
            : await SmtpSettings.LoadAsync(settings, protector, cancellationToken);
        if (!smtp.IsConfigured || config.Recipients.Count == 0)
        {
            return new ChannelResult(true, false, "email needs an SMTP server (settings page or smtp.host) and at least one recipient");
        }
        var result = await email.SendAsync(smtp, config.Recipients, subject, text, cancellationToken);
        if (!result.Success)
        {
            Log.EmailFailed(logger, result.Message);
        }
        return new ChannelResult(true, result.Success, result.Success ? null : result.Message);
    }

    private static string EmailBody(OpsAlertRule rule, OpsAlertEvent alert, string status)
    {
        var text = new StringBuilder()
            .AppendLine(alert.Title)
            .AppendLine()
            .AppendLine(alert.Description)
            .AppendLine()
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Status: {status}")
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Rule: {rule.Name} (#{rule.Id}), severity {alert.Severity}")
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Fired at: {alert.FiredAt:yyyy-MM-dd HH:mm:ss} UTC");
        if (alert.ResolvedAt is { } resolved)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Resolved at: {resolved:yyyy-MM-dd HH:mm:ss} UTC");
        }
        return text.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(1401, LogLevel.Warning, "Alert webhook not delivered: {Error}")]
        public static partial void WebhookFailed(ILogger logger, string error);

        [LoggerMessage(1402, LogLevel.Warning, "Alert email not delivered: {Error}")]
        public static partial void EmailFailed(ILogger logger, string error);
    }
}

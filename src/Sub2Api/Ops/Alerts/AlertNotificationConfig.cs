using System.Security.Cryptography;
using System.Text.Json;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Ops.Alerts;

/// <summary>Where alert notifications go. Held in plain text in memory only; stored with its secrets encrypted.</summary>
internal sealed record AlertNotificationConfig
{
    public string WebhookUrl { get; init; } = "";
    public string WebhookSecret { get; init; } = "";
    public bool EmailEnabled { get; init; }
    public IReadOnlyList<string> Recipients { get; init; } = [];
    public AlertSmtpConfig Smtp { get; init; } = new();
    /// <summary>Only events at least this severe are mailed (P0 most severe).</summary>
    public string MinSeverity { get; init; } = "P3";
}

/// <summary>An SMTP server for alert mail only; with no host, alert mail goes through the settings page's server.</summary>
internal sealed record AlertSmtpConfig
{
    public string Host { get; init; } = "";
    public int Port { get; init; } = 587;
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public string From { get; init; } = "";
    public bool UseTls { get; init; } = true;
}

/// <summary>Body of <c>PUT /ops/email-notification/config</c>: a missing field keeps its value; a secret sent back
/// in its masked form keeps the stored secret.</summary>
internal sealed record AlertNotificationConfigRequest(
    string? WebhookUrl,
    string? WebhookSecret,
    bool? EmailEnabled,
    List<string>? Recipients,
    AlertSmtpRequest? Smtp,
    string? MinSeverity);

internal sealed record AlertSmtpRequest(string? Host, int? Port, string? Username, string? Password, string? From, bool? UseTls);

/// <summary>
/// Loads and saves the notification config as one JSON row of the settings table (<see cref="SettingKey"/>), with
/// the webhook secret and the SMTP password encrypted by <see cref="SecretProtector"/> inside it. The key is
/// deliberately not a <see cref="SettingDefinitions"/> entry: the generic settings API neither shows it (the web
/// settings page would offer the raw blob as a text field) nor lets it be overwritten around this API's validation.
/// </summary>
internal sealed class AlertNotificationSettings(SettingsStore settings, SecretProtector protector)
{
    public const string SettingKey = "ops_alert_notification_config";

    public async Task<AlertNotificationConfig> LoadAsync(CancellationToken cancellationToken)
    {
        var all = await settings.GetAllAsync(cancellationToken);
        if (!all.TryGetValue(SettingKey, out var stored) || string.IsNullOrWhiteSpace(stored))
        {
            return new AlertNotificationConfig();
        }
        try
        {
            var config = JsonSerializer.Deserialize<AlertNotificationConfig>(stored, AlertJson.Options) ?? new AlertNotificationConfig();
            // Nulls (a row edited by hand) become the defaults instead of failing later.
            var smtp = config.Smtp ?? new AlertSmtpConfig();
            return config with
            {
                WebhookUrl = config.WebhookUrl ?? "",
                WebhookSecret = Reveal(config.WebhookSecret),
                Recipients = config.Recipients?.Where(r => !string.IsNullOrWhiteSpace(r)).ToList() ?? [],
                MinSeverity = config.MinSeverity ?? "P3",
                Smtp = smtp with
                {
                    Host = smtp.Host ?? "",
                    Username = smtp.Username ?? "",
                    Password = Reveal(smtp.Password),
                    From = smtp.From ?? "",
                },
            };
        }
        catch (JsonException)
        {
            // A row edited by hand into something unreadable: behave as unconfigured.
            return new AlertNotificationConfig();
        }
    }

    public async Task SaveAsync(AlertNotificationConfig config, CancellationToken cancellationToken)
    {
        var stored = config with
        {
            WebhookSecret = Hide(config.WebhookSecret),
            Smtp = config.Smtp with { Password = Hide(config.Smtp.Password) },
        };
        await settings.SetAsync(new Dictionary<string, string>
        {
            [SettingKey] = JsonSerializer.Serialize(stored, AlertJson.Options),
        }, cancellationToken);
    }

    private string Hide(string secret) => secret.Length == 0 ? "" : protector.Protect(secret);

    /// <summary>A secret that cannot be decrypted (the key changed) is treated as unset rather than failing every send.</summary>
    private string Reveal(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return "";
        }
        try
        {
            return protector.Unprotect(stored);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return "";
        }
    }

    /// <summary><c>"***"</c> plus the last four characters (none of a short secret), or "" when unset.</summary>
    public static string Mask(string secret) =>
        secret.Length == 0 ? "" : secret.Length < 12 ? "***" : "***" + secret[^4..];

    /// <summary>The config as the API shows it: secrets masked.</summary>
    public static object ToDto(AlertNotificationConfig c) => new
    {
        webhook_url = c.WebhookUrl,
        webhook_secret = Mask(c.WebhookSecret),
        email_enabled = c.EmailEnabled,
        recipients = c.Recipients,
        smtp = new
        {
            host = c.Smtp.Host,
            port = c.Smtp.Port,
            username = c.Smtp.Username,
            password = Mask(c.Smtp.Password),
            from = c.Smtp.From,
            use_tls = c.Smtp.UseTls,
        },
        min_severity = c.MinSeverity,
    };

    /// <summary>The new secret: unchanged when missing or when the client sent back the masked form.</summary>
    public static string Merge(string? sent, string current) =>
        sent is null || (sent.Length > 0 && sent == Mask(current)) ? current : sent;
}

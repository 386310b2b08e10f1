using System.Collections.Frozen;
using System.Text.Json;
using Sub2Api.Common;

namespace Sub2Api.Settings;

/// <summary><see cref="Secret"/>: a string stored encrypted, never read back out — lists show only whether it is set.</summary>
internal enum SettingKind { Bool, String, Int, Decimal, Secret }

/// <summary>A runtime setting (SPEC §7.3): its key, type, default and whether anonymous callers may read it.</summary>
/// <param name="Min">The smallest value an Int setting takes (0 unless a smaller one makes no sense, e.g. a retention of 0 days).</param>
/// <param name="Internal">
/// Kept in the settings table but owned by a dedicated route (the admin API key's hash, the stream-timeout JSON):
/// <c>PUT /admin/settings</c> ignores it and <c>GET /admin/settings</c> does not show it.
/// </param>
internal sealed record SettingDefinition(string Key, SettingKind Kind, string Default, bool IsPublic, int Min = 0, bool Internal = false)
{
    /// <summary>Parses a JSON value into the stored string form; null with an error message when it does not fit.</summary>
    public string? Parse(JsonElement value, out string? error)
    {
        error = null;
        switch (Kind)
        {
            case SettingKind.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean() ? "true" : "false";
            case SettingKind.String or SettingKind.Secret when value.ValueKind == JsonValueKind.String:
                return value.GetString()!;
            case SettingKind.Int when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) && i >= Min:
                return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case SettingKind.Decimal when value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d):
                // Decimal settings are amounts of money (default_balance): the same bounds as every other amount.
                error = MoneyBounds.Amount(d, Key);
                return error is null ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        error = Kind switch
        {
            SettingKind.Bool => $"{Key} must be true or false",
            SettingKind.String or SettingKind.Secret => $"{Key} must be a string",
            SettingKind.Int => Min == 0 ? $"{Key} must be a non-negative integer" : $"{Key} must be an integer of at least {Min}",
            _ => $"{Key} must be a non-negative number",
        };
        return null;
    }

    /// <summary>The stored string as the JSON value clients see.</summary>
    public object ToJsonValue(string stored) => Kind switch
    {
        SettingKind.Bool => stored == "true",
        SettingKind.Int => int.TryParse(stored, out var i) ? i : int.Parse(Default, System.Globalization.CultureInfo.InvariantCulture),
        SettingKind.Decimal => decimal.TryParse(stored, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0m,
        _ => stored,
    };
}

/// <summary>The settings this build understands. Other well-formed keys are ignored on write (never stored).</summary>
internal static class SettingDefinitions
{
    public const string RegistrationEnabled = "registration_enabled";
    public const string DefaultBalance = "default_balance";
    public const string DefaultConcurrency = "default_concurrency";
    public const string SiteName = "site_name";
    public const string SmtpHost = "smtp_host";
    public const string SmtpPort = "smtp_port";
    public const string SmtpUsername = "smtp_username";
    public const string SmtpPassword = "smtp_password";
    public const string SmtpFromEmail = "smtp_from_email";
    public const string SmtpFromName = "smtp_from_name";
    public const string SmtpUseTls = "smtp_use_tls";
    public const string OpsErrorLogRetentionDays = "ops_error_log_retention_days";
    public const string OpsCaptureRequestBody = "ops_capture_request_body";
    public const string AdminApiKeyHash = "admin_api_key_hash";
    public const string AdminApiKeyMasked = "admin_api_key_masked";
    public const string StreamTimeoutSettings = "stream_timeout_settings";

    public static readonly FrozenDictionary<string, SettingDefinition> All = new SettingDefinition[]
    {
        new(RegistrationEnabled, SettingKind.Bool, "false", true),
        new("email_verify_enabled", SettingKind.Bool, "false", true),
        new("promo_code_enabled", SettingKind.Bool, "false", true),
        new("password_reset_enabled", SettingKind.Bool, "false", true),
        new("invitation_code_enabled", SettingKind.Bool, "false", true),
        new("totp_enabled", SettingKind.Bool, "false", true),
        new("turnstile_enabled", SettingKind.Bool, "false", true),
        new("turnstile_site_key", SettingKind.String, "", true),
        new(SiteName, SettingKind.String, "Sub2API", true),
        new("site_logo", SettingKind.String, "", true),
        new("site_subtitle", SettingKind.String, "", true),
        new("api_base_url", SettingKind.String, "", true),
        new("contact_info", SettingKind.String, "", true),
        new("doc_url", SettingKind.String, "", true),
        new("home_content", SettingKind.String, "", true),
        new("hide_ccs_import_button", SettingKind.Bool, "false", true),
        new("purchase_subscription_enabled", SettingKind.Bool, "false", true),
        new("purchase_subscription_url", SettingKind.String, "", true),
        new("linuxdo_oauth_enabled", SettingKind.Bool, "false", true),
        new(DefaultBalance, SettingKind.Decimal, "0", false),
        new(DefaultConcurrency, SettingKind.Int, "5", false),
        // Outgoing mail (alerts now; verification codes and password resets use the same server).
        new(SmtpHost, SettingKind.String, "", false),
        new(SmtpPort, SettingKind.Int, "587", false),
        new(SmtpUsername, SettingKind.String, "", false),
        new(SmtpPassword, SettingKind.Secret, "", false),
        new(SmtpFromEmail, SettingKind.String, "", false),
        new(SmtpFromName, SettingKind.String, "", false),
        new(SmtpUseTls, SettingKind.Bool, "true", false),
        new(OpsErrorLogRetentionDays, SettingKind.Int, "30", false, Min: 1),
        new(OpsCaptureRequestBody, SettingKind.Bool, "false", false),
        // The admin API key: only its SHA-256 (hex) and a masked form for display are stored.
        new(AdminApiKeyHash, SettingKind.String, "", false, Internal: true),
        new(AdminApiKeyMasked, SettingKind.String, "", false, Internal: true),
        new(StreamTimeoutSettings, SettingKind.String, "", false, Internal: true),
    }.ToFrozenDictionary(d => d.Key);
}

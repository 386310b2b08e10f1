using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Email;

/// <summary>The outgoing mail server, as the settings page stores it (<c>smtp_*</c>; the password encrypted at rest).</summary>
internal sealed record SmtpSettings(string Host, int Port, string Username, string Password, string FromEmail, string FromName, bool UseTls)
{
    public bool IsConfigured => Host.Length > 0;

    /// <summary>
    /// <c>smtp_use_tls</c> means TLS from the first byte on port 465 (SMTPS) and STARTTLS, required, on any other port;
    /// without it the connection is plain (a relay on localhost or inside a private network).
    /// </summary>
    public MailKit.Security.SecureSocketOptions Security => !UseTls
        ? MailKit.Security.SecureSocketOptions.None
        : Port == 465 ? MailKit.Security.SecureSocketOptions.SslOnConnect : MailKit.Security.SecureSocketOptions.StartTls;

    public static async Task<SmtpSettings> LoadAsync(SettingsStore store, SecretProtector protector, CancellationToken cancellationToken)
    {
        var all = await store.GetAllAsync(cancellationToken);
        var password = all[SettingDefinitions.SmtpPassword];
        return new SmtpSettings(
            all[SettingDefinitions.SmtpHost].Trim(),
            int.TryParse(all[SettingDefinitions.SmtpPort], out var port) && port > 0 ? port : 587,
            all[SettingDefinitions.SmtpUsername].Trim(),
            password.Length > 0 ? protector.Unprotect(password) : "",
            all[SettingDefinitions.SmtpFromEmail].Trim(),
            all[SettingDefinitions.SmtpFromName].Trim(),
            all[SettingDefinitions.SmtpUseTls] == "true");
    }

    /// <summary>The stored settings with what a test request filled in (empty fields keep the stored value).</summary>
    public SmtpSettings With(SmtpTestRequest request) => new(
        string.IsNullOrWhiteSpace(request.SmtpHost) ? Host : request.SmtpHost.Trim(),
        request.SmtpPort is > 0 ? request.SmtpPort.Value : Port,
        string.IsNullOrWhiteSpace(request.SmtpUsername) ? Username : request.SmtpUsername.Trim(),
        string.IsNullOrWhiteSpace(request.SmtpPassword) ? Password : request.SmtpPassword.Trim(),
        string.IsNullOrWhiteSpace(request.SmtpFromEmail) ? FromEmail : request.SmtpFromEmail.Trim(),
        string.IsNullOrWhiteSpace(request.SmtpFromName) ? FromName : request.SmtpFromName.Trim(),
        request.SmtpUseTls ?? UseTls);
}

/// <summary>The body of <c>test-smtp</c> and <c>send-test-email</c> (the original's field names).</summary>
internal sealed record SmtpTestRequest(
    string? Email = null, string? SmtpHost = null, int? SmtpPort = null, string? SmtpUsername = null, string? SmtpPassword = null,
    string? SmtpFromEmail = null, string? SmtpFromName = null, bool? SmtpUseTls = null);

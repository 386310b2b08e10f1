using Sub2Api.Common;
using Sub2Api.Email;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Auth.Recovery;

/// <summary>
/// Mails account-security messages (verification codes, reset links) through the configured SMTP server. A missing
/// server is a 503 the page can explain; a failed send is a 503 too, with the server's answer kept to the log.
/// </summary>
internal sealed class SecurityMail(SettingsStore settings, SecretProtector protector, EmailSender sender)
{
    public static IResult NotConfigured() =>
        Api.Error(503, "EMAIL_NOT_CONFIGURED", "email service is not configured; ask the administrator to set up SMTP");

    public static IResult SendFailed() =>
        Api.Error(503, "EMAIL_SEND_FAILED", "the email could not be sent; please try again later");

    public async Task<SmtpSettings?> ServerAsync(CancellationToken cancellationToken)
    {
        var smtp = await SmtpSettings.LoadAsync(settings, protector, cancellationToken);
        return smtp.IsConfigured ? smtp : null;
    }

    public Task<string> SiteNameAsync(CancellationToken cancellationToken) => settings.GetAsync(SettingDefinitions.SiteName, cancellationToken);

    public async Task<bool> SendCodeAsync(SmtpSettings smtp, string email, string code, CancellationToken cancellationToken)
    {
        var site = await SiteNameAsync(cancellationToken);
        var body = $"Your {site} verification code is:\n\n    {code}\n\nIt expires in {EmailCodes.Ttl.TotalMinutes:0} minutes.\n"
            + "If you did not request this code, ignore this email.\n";
        return (await sender.SendAsync(smtp, [email], $"[{site}] Email Verification Code", body, cancellationToken)).Success;
    }

    public async Task<bool> SendResetLinkAsync(SmtpSettings smtp, string email, string link, CancellationToken cancellationToken)
    {
        var site = await SiteNameAsync(cancellationToken);
        var body = $"Someone asked to reset the password of your {site} account.\n\nOpen this link to choose a new password:\n\n{link}\n\n"
            + $"The link works once and expires in {PasswordResetApi.Ttl.TotalMinutes:0} minutes.\n"
            + "If you did not ask for this, ignore this email: your password stays as it is.\n";
        return (await sender.SendAsync(smtp, [email], $"[{site}] Password Reset", body, cancellationToken)).Success;
    }
}

using System.Net.Mail;
using Sub2Api.Common;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Email;

/// <summary>
/// <c>POST /admin/settings/test-smtp</c> (connect and log in) and <c>/admin/settings/send-test-email</c> (send one
/// mail). Both take the page's current, maybe unsaved, values; an empty field falls back to the stored one, so a
/// saved password need not be typed again. A failure is a 400 with the server's reason.
/// </summary>
internal static class SmtpSettingsApi
{
    public static void MapAdminSmtp(this RouteGroupBuilder admin)
    {
        admin.MapPost("/settings/test-smtp", async (SmtpTestRequest? request, SettingsStore store, SecretProtector protector,
            EmailSender sender, CancellationToken ct) =>
        {
            var smtp = (await SmtpSettings.LoadAsync(store, protector, ct)).With(request ?? new SmtpTestRequest());
            if (!smtp.IsConfigured)
            {
                return Api.BadRequest("SMTP host is required");
            }
            var result = await sender.TestConnectionAsync(smtp, ct);
            return result.Success ? Api.Ok(new { message = result.Message }) : Api.BadRequest($"SMTP test failed: {result.Message}");
        });

        admin.MapPost("/settings/send-test-email", async (SmtpTestRequest? request, SettingsStore store, SecretProtector protector,
            EmailSender sender, CancellationToken ct) =>
        {
            var email = request?.Email?.Trim();
            if (string.IsNullOrEmpty(email) || !MailAddress.TryCreate(email, out _))
            {
                return Api.BadRequest("email must be a valid e-mail address");
            }
            var smtp = (await SmtpSettings.LoadAsync(store, protector, ct)).With(request!);
            if (!smtp.IsConfigured)
            {
                return Api.BadRequest("SMTP host is required");
            }
            var site = await store.GetAsync(SettingDefinitions.SiteName, ct);
            var result = await sender.SendAsync(smtp, [email], $"[{site}] Test Email",
                $"This is a test email from {site}: your SMTP settings work.", ct);
            return result.Success ? Api.Ok(new { message = "Test email sent successfully" }) : Api.BadRequest($"sending failed: {result.Message}");
        });
    }
}

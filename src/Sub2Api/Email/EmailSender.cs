using MailKit.Net.Smtp;
using MimeKit;

namespace Sub2Api.Email;

/// <summary>
/// Sends mail through the configured SMTP server (MailKit): one connection per message — mail here is rare (alerts,
/// tests, later verification codes) and a pooled connection would only go stale between them. Failures come back as
/// an <see cref="EmailResult"/> with a message safe to show an admin (never the password).
/// </summary>
internal sealed partial class EmailSender(ILogger<EmailSender> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Connects and, when a user name is set, authenticates — nothing is sent.</summary>
    public Task<EmailResult> TestConnectionAsync(SmtpSettings smtp, CancellationToken cancellationToken) =>
        RunAsync(smtp, null, cancellationToken);

    public Task<EmailResult> SendAsync(SmtpSettings smtp, IReadOnlyList<string> to, string subject, string textBody,
        CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        try
        {
            message.From.Add(new MailboxAddress(smtp.FromName, smtp.FromEmail.Length > 0 ? smtp.FromEmail : "sub2api@localhost"));
            foreach (var address in to)
            {
                message.To.Add(MailboxAddress.Parse(address));
            }
        }
        catch (ParseException)
        {
            message.Dispose();
            return Task.FromResult(new EmailResult(false, "a recipient or the from address is not a valid email address"));
        }
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = textBody };
        return RunAsync(smtp, message, cancellationToken);
    }

    private async Task<EmailResult> RunAsync(SmtpSettings smtp, MimeMessage? message, CancellationToken cancellationToken)
    {
        using var _ = message;
        if (!smtp.IsConfigured)
        {
            return new EmailResult(false, "SMTP host is not configured");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, timeout.Token);
            if (smtp.Username.Length > 0)
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password, timeout.Token);
            }
            if (message is not null)
            {
                await client.SendAsync(message, timeout.Token);
            }
            await client.DisconnectAsync(true, timeout.Token);
            return new EmailResult(true, message is null ? "SMTP connection successful" : "email sent");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The kind of failure, never what the server said back (a server may echo the login it refused).
            var reason = e switch
            {
                OperationCanceledException => $"no answer from {smtp.Host}:{smtp.Port} within {Timeout.TotalSeconds:0} s",
                MailKit.Security.AuthenticationException => "SMTP authentication failed",
                SmtpCommandException command => $"SMTP server refused the message ({(int)command.StatusCode})",
                ParseException => "a recipient or the from address is not a valid email address",
                System.Net.Sockets.SocketException => $"could not connect to {smtp.Host}:{smtp.Port}",
                MailKit.Security.SslHandshakeException => $"TLS with {smtp.Host}:{smtp.Port} failed",
                _ => $"email failed ({e.GetType().Name})",
            };
            Log.Failed(logger, smtp.Host, smtp.Port, reason);
            return new EmailResult(false, reason);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1400, LogLevel.Warning, "SMTP {Host}:{Port} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string host, int port, string reason);
    }
}

internal readonly record struct EmailResult(bool Success, string Message);

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// An SMTP server on 127.0.0.1 speaking just enough of the protocol for a real client (MailKit): greeting, EHLO with
/// AUTH PLAIN/LOGIN, MAIL/RCPT, DATA, QUIT — no TLS. It keeps every accepted message, and refuses a login that does
/// not match <see cref="Username"/>/<see cref="Password"/> when those are set.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FakeSmtpServer(string? username, string? password)
    {
        Username = username;
        Password = password;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public string? Username { get; }
    public string? Password { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    private readonly ConcurrentQueue<SmtpMessage> _messages = new();
    private int _disposed;

    /// <summary>The messages accepted so far, in order.</summary>
    public IReadOnlyList<SmtpMessage> Messages => [.. _messages];
    /// <summary>Logins refused (wrong user or password).</summary>
    public int RefusedLogins => Volatile.Read(ref _refusedLogins);
    private int _refusedLogins;

    public static FakeSmtpServer Start(string? username = null, string? password = null) => new(username, password);

    /// <summary>Waits until <paramref name="count"/> messages arrived (deadline 30 s).</summary>
    public async Task<SmtpMessage[]> WaitForMessagesAsync(int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_messages.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{count} message(s) expected, {_messages.Count} arrived");
            await Task.Delay(20);
        }
        return [.. _messages];
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake-smtp ready");
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake-smtp");
                        await writer.WriteLineAsync("250-AUTH PLAIN LOGIN");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 fake-smtp");
                        break;
                    case "AUTH":
                        await writer.WriteLineAsync(await AuthenticateAsync(line, reader, writer) ? "235 2.7.0 accepted" : "535 5.7.8 authentication failed");
                        break;
                    case "MAIL":
                        from = line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>');
                        to.Clear();
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.AppendLine(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine);
                        }
                        _messages.Enqueue(new SmtpMessage(from ?? "", [.. to], data.ToString()));
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up.
        }
    }

    private async Task<bool> AuthenticateAsync(string line, StreamReader reader, StreamWriter writer)
    {
        var parts = line.Split(' ');
        string user, password;
        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var payload = parts.Length > 2 ? parts[2] : await PromptAsync("", reader, writer);
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(payload)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(await PromptAsync("VXNlcm5hbWU6", reader, writer)));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await PromptAsync("UGFzc3dvcmQ6", reader, writer)));
        }
        var ok = Username is null || (user == Username && password == Password);
        if (!ok)
        {
            Interlocked.Increment(ref _refusedLogins);
        }
        return ok;
    }

    private async Task<string> PromptAsync(string challenge, StreamReader reader, StreamWriter writer)
    {
        await writer.WriteLineAsync("334 " + challenge);
        return await reader.ReadLineAsync(_stop.Token) ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;   // a test may stop it early and again at the end of its scope
        }
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

/// <summary>One accepted message: envelope sender, recipients and the raw DATA (headers and body).</summary>
public sealed record SmtpMessage(string From, IReadOnlyList<string> Recipients, string Data)
{
    public string Subject => Data.Split('\n').Select(l => l.TrimEnd('\r'))
        .FirstOrDefault(l => l.StartsWith("Subject: ", StringComparison.OrdinalIgnoreCase))?[9..] ?? "";
}

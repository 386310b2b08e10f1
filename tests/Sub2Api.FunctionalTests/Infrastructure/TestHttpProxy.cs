using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// A real HTTP proxy on 127.0.0.1 (dynamic port): <c>CONNECT host:port</c> tunnels, absolute-form requests
/// (<c>GET http://host/path</c>) are forwarded. With <see cref="Username"/> set it demands Basic proxy auth and answers
/// 407 otherwise, so a test sees the stored password actually reach the proxy. <see cref="Requests"/> counts what it
/// carried (authenticated requests only). Linked into the browser tier as well.
/// </summary>
public sealed class TestHttpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;
    private int _rejected;

    private TestHttpProxy(string? username, string? password)
    {
        Username = username;
        Password = password;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public static TestHttpProxy Start(string? username = null, string? password = null) => new(username, password);

    public string? Username { get; }
    public string? Password { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Requests => Volatile.Read(ref _requests);
    public int Rejected => Volatile.Read(ref _rejected);

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
            var (head, rest) = await ReadHeadAsync(stream);
            if (head is null)
            {
                return;
            }
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3)
            {
                return;
            }
            if (Username is not null && !Authorized(lines))
            {
                Interlocked.Increment(ref _rejected);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                return;
            }
            Interlocked.Increment(ref _requests);
            if (parts[0] == "CONNECT")
            {
                var target = parts[1].Split(':');
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(target[0], int.Parse(target[1], System.Globalization.CultureInfo.InvariantCulture));
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection Established\r\n\r\n"));
                await PipeAsync(stream, upstream.GetStream(), rest);
                return;
            }
            var uri = new Uri(parts[1]);
            using (var upstream = new TcpClient())
            {
                await upstream.ConnectAsync(uri.Host, uri.Port);
                var forwarded = new StringBuilder($"{parts[0]} {uri.PathAndQuery} {parts[2]}\r\n");
                foreach (var line in lines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)))
                {
                    forwarded.Append(line).Append("\r\n");
                }
                forwarded.Append("\r\n");
                var upstreamStream = upstream.GetStream();
                await upstreamStream.WriteAsync(Encoding.ASCII.GetBytes(forwarded.ToString()));
                await PipeAsync(stream, upstreamStream, rest);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or FormatException or UriFormatException)
        {
            // A client or target that went away: nothing to report, the test sees it on its side.
        }
    }

    private bool Authorized(string[] lines)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        return lines.Any(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase)
            && l["Proxy-Authorization:".Length..].Trim() == expected);
    }

    private static async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length));
            if (read == 0)
            {
                return (null, []);
            }
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer, 0, end), buffer.AsSpan(end + 4, length - end - 4).ToArray());
            }
        }
        return (null, []);
    }

    private static async Task PipeAsync(NetworkStream client, NetworkStream upstream, byte[] alreadyRead)
    {
        if (alreadyRead.Length > 0)
        {
            await upstream.WriteAsync(alreadyRead);
        }
        var up = client.CopyToAsync(upstream);
        var down = upstream.CopyToAsync(client);
        await Task.WhenAny(up, down);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

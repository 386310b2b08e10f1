using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// The built gateway as an operator runs it: <c>dotnet &lt;bin&gt;/Sub2Api.dll</c> as a child process, configured by
/// environment variables, started from a working directory of the caller's choice. Everything it writes to
/// stdout and stderr is kept for assertions.
/// </summary>
public sealed class GatewayChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayChildProcess(Process process, string address, string dll)
    {
        _process = process;
        Address = address;
        Dll = dll;
    }

    public string Address { get; }

    /// <summary>The gateway's dll; its folder is the application's folder.</summary>
    public string Dll { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<GatewayChildProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "Sub2Api.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the gateway process");
        var node = new GatewayChildProcess(process, $"http://127.0.0.1:{port}", dll);
        process.OutputDataReceived += (_, e) => node.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => node.Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"gateway process exited with {process.ExitCode}:\n{node.Output}");
            }
            try
            {
                using var response = await http.GetAsync(node.Address + "/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                await node.DisposeAsync();
                Assert.Fail($"gateway process not healthy within 90 s:\n{node.Output}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (log lines are written asynchronously).</summary>
    public async Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' not in the gateway's output within 30 s:\n{Output}");
            await Task.Delay(50, cancellationToken);
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            // Bounded: Trace logging of a whole run is a few hundred KB; a runaway process must not eat the test's memory.
            if (_output.Length < 64 * 1024 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>A loopback port nothing listens on right now (for a child process to bind).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

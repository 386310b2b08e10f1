using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>
/// A gateway node as a real OS process (<c>dotnet Sub2Api.dll</c> from this test's build output), configured
/// through environment variables exactly as an operator would, so it can be killed with SIGKILL.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dataDir;

    private GatewayProcess(Process process, string address, string dataDir)
    {
        _process = process;
        Address = address;
        _dataDir = dataDir;
    }

    public string Address { get; }
    public int Pid => _process.Id;
    public string Output => string.Join('\n', _output);

    /// <param name="settings">Configuration keys (<c>Redis:KeyPrefix</c>); passed as <c>Redis__KeyPrefix</c>.</param>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-node-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var dll = Path.Combine(AppContext.BaseDirectory, "Sub2Api.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            if (key != FunctionalTests.Infrastructure.Sub2ApiFactory.UseKestrelSetting)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DATA_DIR"] = dataDir;
        start.Environment["ADMIN_PASSWORD"] = FunctionalTests.Infrastructure.Sub2ApiFactory.AdminPassword;
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the gateway process");
        var node = new GatewayProcess(process, $"http://127.0.0.1:{port}", dataDir);
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
                using var response = await http.GetAsync(node.Address + "/health");
                if (response.IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > deadline)
            {
                await node.DisposeAsync();
                Assert.Fail($"gateway process not healthy within 90 s:\n{node.Output}");
            }
            await Task.Delay(100);
        }
    }

    private void Collect(string? line)
    {
        if (line is not null && _output.Count < 2000)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no slot releases, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private static int FreePort()
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
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

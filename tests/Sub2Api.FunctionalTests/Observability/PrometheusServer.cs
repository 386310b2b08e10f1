using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// A real Prometheus (the Debian package's <c>/usr/bin/prometheus</c>, which <c>test.sh</c> installs) scraping one
/// target every second, with its own throwaway storage, on a free loopback port.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process process, string directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Skips the test when Prometheus is not installed locally; fails it under CI (CI=true), where it must be.</summary>
    public static void RequireInstalled()
    {
        if (File.Exists(Binary))
        {
            return;
        }
        const string why = Binary + " is missing: run ./test.sh (it installs the Debian package prometheus) or apt-get install prometheus";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(why);
        }
        Assert.Skip(why);
    }

    public static async Task<PrometheusServer> StartAsync(Uri target, string metricsPath, string bearerToken)
    {
        var directory = Directory.CreateTempSubdirectory("sub2api-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: sub2api
                metrics_path: {metricsPath}
                authorization:
                  credentials: {bearerToken}
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var port = Infrastructure.GatewayChildProcess.FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("--config.file=" + config);
        start.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(directory, "data"));
        start.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusServer(process, directory, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => server.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => server.Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(process.HasExited, $"prometheus exited with {(process.HasExited ? process.ExitCode : 0)}:\n{server.Output}");
            try
            {
                using var ready = await http.GetAsync(server.Address + "/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            Assert.True(DateTime.UtcNow < deadline, $"prometheus not ready within 30 s:\n{server.Output}");
            await Task.Delay(100);
        }
    }

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

    /// <summary>An instant PromQL query; the result vector's samples as (labels, value).</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var json = await http.GetStringAsync(Address + "/api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var document = JsonDocument.Parse(json);
        Assert.Equal("success", document.RootElement.GetProperty("status").GetString());
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(sample => (
            sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The scrape target's health as Prometheus sees it ("up", "down", "unknown") and its last error.</summary>
    public async Task<string> TargetsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync(Address + "/api/v1/targets");
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
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
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

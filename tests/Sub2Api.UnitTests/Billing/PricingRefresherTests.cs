using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sub2Api.Billing;
using Sub2Api.Configuration;

namespace Sub2Api.UnitTests.Billing;

/// <summary>PricingRefresher against a real HTTP server on 127.0.0.1 (Kestrel, free port).</summary>
public sealed class PricingRefresherTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sub2api-pricing-" + Guid.NewGuid().ToString("N"));
    private readonly CollectingLoggerProvider _logs = new();
    private WebApplication? _server;
    private volatile byte[]? _served;
    private string _url = "";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _dataDir });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/prices.json", () => _served is { } body ? Results.Bytes(body, "application/json") : Results.NotFound());
        await _server.StartAsync();
        var address = _server.Urls.Single(); // the port Kestrel actually bound
        _url = address + "/prices.json";
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Directory.Delete(_dataDir, true);
    }

    private static byte[] Table(int models, string price = "2e-06") =>
        PricingTableTests.Json(Enumerable.Range(0, models)
            .Select(i => ($"test-model-{i}", $"{{\"input_cost_per_token\": {price}, \"output_cost_per_token\": 1e-05}}")).ToArray());

    private ServiceProvider Services(string? url)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(url is null ? [] : [KeyValuePair.Create("Billing:PricingUrl", (string?)url)])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(new DataDirectory(_dataDir));
        services.AddLogging(b => b.AddProvider(_logs));
        services.AddPricing();
        return services.BuildServiceProvider();
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {Deadline.TotalSeconds} s waiting until {what}");
            }
        }
    }

    [Fact]
    public async Task Start_WithUrl_SwapsDownloadedTableAndSavesIt()
    {
        _served = Table(12);
        await using var services = Services(_url);
        var pricing = services.GetRequiredService<PricingService>();
        Assert.True(pricing.Current.Count > 1000); // built-in until the download lands
        var refresher = services.GetServices<IHostedService>().OfType<PricingRefresher>().Single();

        await refresher.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntil(() => pricing.Current.Count == 12, "the downloaded table is current");
        await refresher.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0.000002m, pricing.Lookup("test-model-3").InputPerToken);
        Assert.Equal(_served, await File.ReadAllBytesAsync(Path.Combine(_dataDir, PricingRefresher.SavedFileName), TestContext.Current.CancellationToken));
        Assert.DoesNotContain(_logs.Messages, m => m.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_SavedFileAndTooSmallDownload_KeepsSavedTable()
    {
        await File.WriteAllBytesAsync(Path.Combine(_dataDir, PricingRefresher.SavedFileName), Table(11, "4e-06"), TestContext.Current.CancellationToken);
        _served = Table(3);
        await using var services = Services(_url);
        var pricing = services.GetRequiredService<PricingService>();
        var refresher = services.GetServices<IHostedService>().OfType<PricingRefresher>().Single();

        await refresher.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(11, pricing.Current.Count); // the saved copy is in place before StartAsync returns
        await WaitUntil(() => _logs.Messages.Any(m => m.Contains("has only 3 models", StringComparison.Ordinal)), "the small download is rejected");
        await refresher.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(11, pricing.Current.Count);
        Assert.Equal(0.000004m, pricing.Lookup("test-model-0").InputPerToken);
    }

    [Fact]
    public async Task Start_DownloadFails_LogsWithoutQueryAndKeepsBuiltIn()
    {
        _served = null; // 404
        await using var services = Services(_url + "?token=secret-value");
        var pricing = services.GetRequiredService<PricingService>();
        var refresher = services.GetServices<IHostedService>().OfType<PricingRefresher>().Single();

        await refresher.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntil(() => _logs.Messages.Any(m => m.Contains("failed", StringComparison.Ordinal)), "the failure is logged");
        await refresher.StopAsync(TestContext.Current.CancellationToken);

        Assert.Same(PricingTable.LoadBuiltIn(), pricing.Current);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains("secret-value", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_dataDir, PricingRefresher.SavedFileName)));
    }

    [Fact]
    public async Task Start_NoUrl_BuiltInOnlyAndSavedFileIgnored()
    {
        await File.WriteAllBytesAsync(Path.Combine(_dataDir, PricingRefresher.SavedFileName), Table(11), TestContext.Current.CancellationToken);
        await using var services = Services(null);
        var pricing = services.GetRequiredService<PricingService>();
        var refresher = services.GetServices<IHostedService>().OfType<PricingRefresher>().Single();

        await refresher.StartAsync(TestContext.Current.CancellationToken);
        await refresher.StopAsync(TestContext.Current.CancellationToken);

        Assert.Same(PricingTable.LoadBuiltIn(), pricing.Current);
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IEnumerable<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(_messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}

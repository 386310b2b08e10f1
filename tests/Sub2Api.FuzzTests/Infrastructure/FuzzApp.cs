using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FuzzTests.Infrastructure;

/// <summary>
/// The whole app on real Kestrel (127.0.0.1, free port) on a fresh SQLite file in its own DATA_DIR, the way the
/// functional tier starts it, with two differences: every log line at every level goes to a <see cref="LogRecorder"/>,
/// and every upstream URL the app knows points at a local <see cref="FuzzUpstream"/>.
/// </summary>
internal sealed class FuzzApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@sub2api.local";

    // Not a real secret: the first admin's password in a throwaway data folder. Long and unusual on purpose, so
    // finding it in a log line is never a coincidence.
    public const string AdminPassword = "fuzz-admin-pw-7Qx9Lm2Rt5";

    private readonly string _upstreamUrl;

    public FuzzApp(string upstreamUrl, LogRecorder logs)
    {
        _upstreamUrl = upstreamUrl;
        Logs = logs;
        DataDir = Path.Combine(Path.GetTempPath(), "sub2api-fuzz-" + Guid.NewGuid().ToString("N"));
        UseKestrel(0);
    }

    public LogRecorder Logs { get; }
    public string DataDir { get; }

    /// <summary>Every configuration key naming an upstream. Add new ones here so no fuzzed route reaches the internet.</summary>
    public IEnumerable<string> UpstreamUrlSettings =>
        ["Gateway:Anthropic:BaseUrl", "OAuth:Claude:AuthorizeUrl", "OAuth:Claude:TokenUrl", "OAuth:Claude:WebBaseUrl"];

    /// <summary>The real socket address (starts the server on first use).</summary>
    public string ServerAddress => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATA_DIR", DataDir);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("ADMIN_PASSWORD", AdminPassword);
        // The fuzzer logs in and refreshes far more often than a person; the abuse limits are not under test here.
        builder.UseSetting("Auth:LoginPermitsPerMinute", "1000000");
        builder.UseSetting("Auth:RefreshPermitsPerMinute", "1000000");
        foreach (var key in UpstreamUrlSettings)
        {
            builder.UseSetting(key, _upstreamUrl);
        }
        // Trace for the recorder alone: a rule for one provider beats every category rule of the configuration,
        // so each logging call site runs at its most verbose while the console keeps the app's own levels.
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.AddFilter<LogRecorder>(null, LogLevel.Trace);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// The whole app over HTTP (TestServer) on a fresh SQLite file in its own temporary DATA_DIR.
/// Pass an existing <paramref name="dataDir"/> to start a second app on the same data (restart tests).
/// </summary>
public sealed class Sub2ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@sub2api.local";
    public const string AdminPassword = "admin-password-1";

    /// <summary>Setting that makes the app listen on a real loopback socket (for out-of-process clients).</summary>
    public const string UseKestrelSetting = "Test:UseKestrel";

    private readonly bool _ownsDataDir;
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Service overrides applied last (e.g. a <c>FakeTimeProvider</c> as the app's clock).</param>
    public Sub2ApiFactory(string? dataDir = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _ownsDataDir = dataDir is null;
        _settings = settings;
        _services = services;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "sub2api-test-" + Guid.NewGuid().ToString("N"));
        if (settings?.GetValueOrDefault(UseKestrelSetting) == "true")
        {
            UseKestrel(0);
        }
    }

    public string DataDir { get; }

    /// <summary>The real socket address when <see cref="UseKestrelSetting"/> is on.</summary>
    public string ServerAddress => Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATA_DIR", DataDir);
        // Never the default :8080 — a real-socket test (UseKestrel) gets a free loopback port instead.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("Auth:LoginPermitsPerMinute", "10000");
        builder.UseSetting("Auth:RefreshPermitsPerMinute", "10000");
        foreach (var (key, value) in _settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>A short-lived DbContext for arranging or asserting rows directly.</summary>
    internal async Task WithDbAsync(Func<Sub2ApiDbContext, Task> action)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<Sub2ApiDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await action(db);
    }

    internal async Task<T> WithDbAsync<T>(Func<Sub2ApiDbContext, Task<T>> action)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<Sub2ApiDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await action(db);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDataDir && Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }
}

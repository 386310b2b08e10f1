using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Infrastructure.Redis;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.IntegrationTests.Redis;

/// <summary>Builds the Redis ports directly on the throwaway server, each test under its own key prefix.</summary>
internal sealed class RedisTestKit : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public RedisTestKit()
    {
        ConnectionString = RealServers.Redis();
        Prefix = RealServers.RedisPrefix();
        Connection = NewConnection();
    }

    public string ConnectionString { get; }
    public string Prefix { get; }

    /// <summary>A connection under this test's prefix (for arranging and asserting raw keys).</summary>
    public RedisConnection Connection { get; }

    /// <summary>Another node's connection: same server and prefix, its own multiplexer.</summary>
    public RedisConnection NewConnection()
    {
        var connection = new RedisConnection(new RedisOptions { ConnectionString = ConnectionString, KeyPrefix = Prefix }, new ClusterNode());
        _owned.Add(connection);
        return connection;
    }

    /// <summary>Slots as one node sees them, with this slot TTL.</summary>
    public RedisConcurrencySlots Slots(TimeSpan ttl, RedisConnection? connection = null) =>
        new(connection ?? NewConnection(), new FixedOptions<GatewayOptions>(new GatewayOptions { ConcurrencySlotTtlMinutes = ttl.TotalMinutes }),
            TimeProvider.System, NullLogger<RedisConcurrencySlots>.Instance);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    /// <summary>Polls until the condition holds; fails the test at the deadline.</summary>
    /// <summary>The shared deadline-bounded wait (the functional tier's helper, linked into this project).</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because) =>
        Sub2Api.FunctionalTests.Infrastructure.RelayScenario.WaitUntilAsync(condition, timeout, because);
}

internal sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

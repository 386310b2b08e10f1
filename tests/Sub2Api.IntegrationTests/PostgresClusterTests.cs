using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>
/// PostgreSQL as a cluster's database: start-up that waits for it, migrations serialised across nodes starting
/// together, and the usage writes and aggregate queries of the admin API on it.
/// </summary>
public sealed class PostgresClusterTests
{
    private static Dictionary<string, string?> Postgres(string connectionString) => new()
    {
        ["Database:Provider"] = "postgres",
        ["ConnectionStrings:Postgres"] = connectionString,
    };

    [Fact]
    public async Task NodesStartingTogether_OnAnEmptyDatabase_MigrateOnce()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        var nodes = Enumerable.Range(0, 3).Select(_ => new Sub2ApiFactory(settings: Postgres(database.ConnectionString))).ToList();
        try
        {
            // All three run their start-up (migrate, create the admin) at the same moment.
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Services)));

            foreach (var node in nodes)
            {
                var me = (await (await node.AdminAsync()).GetAsync("/api/v1/auth/me")).Data;
                Assert.Equal("admin", me.GetProperty("role").GetString());
            }
            var migrations = await nodes[0].WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().Count()));
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var history = new NpgsqlCommand("SELECT count(*), count(DISTINCT h) FROM \"__EFMigrationsHistory\" h", connection);
            await using (var reader = await history.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal(migrations, reader.GetInt64(0));
                Assert.Equal(migrations, reader.GetInt64(1));
            }
            await using var admins = new NpgsqlCommand("SELECT count(*) FROM users WHERE role = 'admin'", connection);
            Assert.Equal(1L, await admins.ExecuteScalarAsync());
            // The advisory lock was released once the migrations were done (locks are per database; other tests run in parallel).
            await using var locks = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + $"AND ((classid::bigint << 32) | objid::bigint) = {DatabaseInitializer.MigrationLockKey}",
                connection);
            Assert.Equal(0L, await locks.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StartUp_WaitsForTheMigrationLockHeldByAnotherNode()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseInitializer.MigrationLockKey})", other))
        {
            await take.ExecuteNonQueryAsync(); // "another node" is migrating
        }
        await using var node = new Sub2ApiFactory(settings: Postgres(database.ConnectionString));
        var starting = Task.Run(() => node.Services);

        // The node waits on the lock (visible as an ungranted advisory lock request), and has not migrated.
        await RedisFreeWait(() => WaitingForLock(database.ConnectionString) || starting.IsCompleted, TimeSpan.FromSeconds(30), "the node queues for the lock");
        Assert.False(starting.IsCompleted, $"started while another node held the migration lock: {starting.Exception}");
        await using (var history = new NpgsqlCommand("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NULL", other))
        {
            Assert.Equal(true, await history.ExecuteScalarAsync());
        }

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseInitializer.MigrationLockKey})", other))
        {
            await release.ExecuteNonQueryAsync();
        }
        await starting.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("admin", (await (await node.AdminAsync()).GetAsync("/api/v1/auth/me")).Data.GetProperty("role").GetString());
    }

    private static bool WaitingForLock(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        return (long)command.ExecuteScalar()! > 0;
    }

    [Fact]
    public async Task StartUp_WaitsWhileTheDatabaseIsUnreachable_ThenMigrates()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var gate = await TcpGate.StartAsync(target.Host!, target.Port);
        var throughGate = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = gate.Port, Timeout = 3 }.ConnectionString;
        await using var node = new Sub2ApiFactory(settings: Postgres(throughGate));

        // The database "is down": every connection is dropped. Start-up keeps retrying instead of crashing.
        var starting = Task.Run(() => node.Services);
        await RedisFreeWait(() => gate.Dropped >= 2 || starting.IsCompleted, TimeSpan.FromSeconds(30), "start-up retried at least twice");
        Assert.False(starting.IsCompleted, $"the app must not have started without its database: {starting.Exception}");

        gate.Open(); // the database comes up
        await starting.WaitAsync(TimeSpan.FromSeconds(60));
        var me = (await (await node.AdminAsync()).GetAsync("/api/v1/auth/me")).Data;
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task RetryClassification_UnreachableAndStartingAreTransient_OtherErrorsAreNot()
    {
        // Connection refused (nothing listens on the port).
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var c = new NpgsqlConnection($"Host=127.0.0.1;Port={closedPort};Username=x;Timeout=2");
            await c.OpenAsync();
        });
        Assert.True(DatabaseInitializer.IsTransient(refused), refused.ToString());
        // … also as EF's execution strategy reports it (the original start-up crashed on exactly this).
        Assert.True(DatabaseInitializer.IsTransient(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused)));
        Assert.False(DatabaseInitializer.IsTransient(new InvalidOperationException("not a database problem")));

        // Server states that pass: starting up, shutting down, database missing, too many connections.
        foreach (var state in new[] { "57P03", "57P01", "3D000", "53300", "08006" })
        {
            Assert.True(DatabaseInitializer.IsTransient(new PostgresException("x", "FATAL", "FATAL", state)), state);
        }
        // Errors that waiting does not fix: bad password, permission, a real SQL error from the live server.
        foreach (var state in new[] { "28P01", "28000", "42501" })
        {
            Assert.False(DatabaseInitializer.IsTransient(new PostgresException("x", "FATAL", "FATAL", state)), state);
        }
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        var syntax = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var c = new NpgsqlConnection(database.ConnectionString);
            await c.OpenAsync();
            await using var command = new NpgsqlCommand("SELEC 1", c);
            await command.ExecuteNonQueryAsync();
        });
        Assert.False(DatabaseInitializer.IsTransient(syntax));
    }

    [Fact]
    public async Task UsageInserts_AndAdminAggregates_OnPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var s = await RelayScenario.StartAsync(Postgres(database.ConnectionString));
        await s.AddApiKeyAccountAsync("ok", concurrency: 10);
        var (key, userId, keyId) = await s.AddUserWithKeyAsync(balance: 50m, concurrency: 10);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => s.SendAsync(key, stream: i % 2 == 0)));
        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        await s.FlushUsageAsync();

        var rows = await s.UsageRowsAsync();
        Assert.Equal(6, rows.Count);
        Assert.Equal(3, rows.Count(r => r.Stream));
        var actual = rows.Sum(r => r.ActualCost);
        var total = rows.Sum(r => r.TotalCost);
        Assert.Equal(50m - actual, await s.BalanceAsync(userId));

        var admin = await s.App.AdminAsync();
        var stats = (await admin.GetAsync($"/api/v1/admin/usage/stats?user_id={userId}")).Data;
        Assert.Equal(6, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(6 * FakeUpstream.InputTokens, stats.GetProperty("total_input_tokens").GetInt64());
        Assert.Equal(6 * FakeUpstream.OutputTokens, stats.GetProperty("total_output_tokens").GetInt64());
        Assert.Equal(6 * FakeUpstream.CacheCreationTokens, stats.GetProperty("total_cache_creation_tokens").GetInt64());
        Assert.Equal(6 * FakeUpstream.CacheReadTokens, stats.GetProperty("total_cache_read_tokens").GetInt64());
        Assert.Equal(actual, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(total, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(6, (await admin.GetAsync("/api/v1/admin/usage/stats?period=today")).Data.GetProperty("total_requests").GetInt64());
        Assert.Equal(6, (await admin.GetAsync($"/api/v1/admin/usage?api_key_id={keyId}&page_size=50")).Data.GetProperty("total").GetInt64());

        var dashboard = (await admin.GetAsync("/api/v1/admin/dashboard/stats")).Data;
        Assert.Equal(6, dashboard.GetProperty("total_requests").GetInt64());
        Assert.Equal(6, dashboard.GetProperty("today_requests").GetInt64());
        Assert.Equal(6, dashboard.GetProperty("rpm").GetInt64());
        Assert.Equal(6 * FakeUpstream.InputTokens, dashboard.GetProperty("today_input_tokens").GetInt64());
        Assert.Equal(actual, dashboard.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(total, dashboard.GetProperty("today_cost").GetDecimal());
    }

    [Fact]
    public async Task Aggregates_SumManyTenDecimalAmountsExactly_OnPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = new Sub2ApiFactory(settings: Postgres(database.ConnectionString));
        var admin = await app.AdminAsync();
        var (_, userId) = await app.CreateUserAsync("exact@example.com");
        var now = DateTime.UtcNow;
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 10; i++)
            {
                db.UsageLogs.Add(new UsageLog
                {
                    UserId = userId, ApiKeyId = 1, AccountId = 1, RequestId = $"exact-{i}", Model = "claude-sonnet-4-5",
                    InputTokens = 1, TotalCost = 0.1m, ActualCost = 0.0000000001m, CreatedAt = now,
                });
            }
            await db.SaveChangesAsync();
        });

        var stats = (await admin.GetAsync($"/api/v1/admin/usage/stats?user_id={userId}")).Data;
        Assert.Equal("1", stats.GetProperty("total_cost").GetRawText().TrimEnd('0').TrimEnd('.'));
        Assert.Equal(0.000000001m, stats.GetProperty("total_actual_cost").GetDecimal());
        var dashboard = (await admin.GetAsync("/api/v1/admin/dashboard/stats")).Data;
        Assert.Equal(1m, dashboard.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0.000000001m, dashboard.GetProperty("today_actual_cost").GetDecimal());
    }

    private static Task RedisFreeWait(Func<bool> condition, TimeSpan timeout, string because) =>
        Redis.RedisTestKit.WaitUntilAsync(() => Task.FromResult(condition()), timeout, because);

    /// <summary>
    /// A loopback TCP forwarder that plays an unreachable database: until <see cref="Open"/> it accepts and
    /// immediately drops every connection (counting them), afterwards it forwards to the real server.
    /// </summary>
    private sealed class TcpGate : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly string _host;
        private readonly int _port;
        private volatile bool _open;
        private int _dropped;
        private Task _accepting = Task.CompletedTask;

        private TcpGate(string host, int port)
        {
            _host = host;
            _port = port;
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Dropped => Volatile.Read(ref _dropped);

        public static Task<TcpGate> StartAsync(string host, int port)
        {
            var gate = new TcpGate(host, port);
            gate._listener.Start();
            gate._accepting = Task.Run(gate.AcceptLoopAsync);
            return Task.FromResult(gate);
        }

        public void Open() => _open = true;

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
                if (!_open)
                {
                    client.Client.LingerState = new LingerOption(true, 0); // reset, like a server that is not there
                    client.Dispose();
                    Interlocked.Increment(ref _dropped);
                    continue;
                }
                _ = Task.Run(() => ForwardAsync(client));
            }
        }

        private async Task ForwardAsync(TcpClient client)
        {
            using (client)
            using (var server = new TcpClient())
            {
                try
                {
                    await server.ConnectAsync(_host, _port, _stop.Token);
                    var a = client.GetStream();
                    var b = server.GetStream();
                    await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}

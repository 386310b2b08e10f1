using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Infrastructure.Redis;
using Sub2Api.Security;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>
/// Gateway nodes as an operator runs them: separate hosts, each on its own real port and DATA_DIR, sharing one
/// PostgreSQL database, one Redis key prefix and the JWT_SECRET / ENCRYPTION_KEY, in front of one fake upstream.
/// Rows are arranged through node 0's services; <see cref="ChangeAsync"/> waits until the other nodes heard of it.
/// </summary>
internal sealed class GatewayCluster : IAsyncDisposable
{
    public const string JwtSecret = "cluster-test-jwt-secret-0123456789abcdef";
    public const string EncryptionKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private readonly TemporaryDatabase _database;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _credentials = new();

    private GatewayCluster(TemporaryDatabase database, FakeUpstream upstream, RedisConnection redis, Dictionary<string, string?> settings)
    {
        _database = database;
        Upstream = upstream;
        Redis = redis;
        Settings = settings;
    }

    public FakeUpstream Upstream { get; }
    public List<Sub2ApiFactory> Nodes { get; } = [];
    public RedisConnection Redis { get; }
    public string RedisPrefix => Redis.Prefix;
    public string PostgresConnectionString => _database.ConnectionString;
    public Dictionary<string, string?> Settings { get; }
    public long GroupId { get; private set; }

    public Sub2ApiFactory A => Nodes[0];
    public Sub2ApiFactory B => Nodes[1];

    public static async Task<GatewayCluster> StartAsync(int nodes = 2, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var redisServer = RealServers.Redis();
        var database = await RealServers.CreatePostgresDatabaseAsync();
        var upstream = await FakeUpstream.StartAsync();
        var prefix = RealServers.RedisPrefix();
        var all = new Dictionary<string, string?>
        {
            [Sub2ApiFactory.UseKestrelSetting] = "true",
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Redis:ConnectionString"] = redisServer,
            ["Redis:KeyPrefix"] = prefix,
            ["JWT_SECRET"] = JwtSecret,
            ["ENCRYPTION_KEY"] = EncryptionKey,
            ["Gateway:Anthropic:BaseUrl"] = upstream.BaseUrl,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var redis = new RedisConnection(new RedisOptions { ConnectionString = redisServer, KeyPrefix = prefix }, new ClusterNode());
        var cluster = new GatewayCluster(database, upstream, redis, all);
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var node = new Sub2ApiFactory(settings: all);
                cluster.Nodes.Add(node);
                _ = node.ServerAddress; // start it (migrations, admin) before the next one
            }
            cluster.GroupId = await cluster.ChangeAsync(ConfigScope.All, () => cluster.A.WithDbAsync(async db =>
            {
                var group = new Group { Name = "claude", Platform = Platforms.Anthropic };
                db.Groups.Add(group);
                await db.SaveChangesAsync();
                return group.Id;
            }));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs a change on node 0, then waits until every other node applied the invalidation it announced (their
    /// generation for <paramref name="scope"/> moved): pub/sub delivery, no cache lifetime involved.
    /// </summary>
    public async Task<T> ChangeAsync<T>(ConfigScope scope, Func<Task<T>> change)
    {
        var before = Nodes.Skip(1).Select(n => Generation(n, scope)).ToList();
        var result = await change();
        for (var i = 1; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            var was = before[i - 1];
            await WaitUntilAsync(() => Task.FromResult(Generation(node, scope) > was), $"node {i} heard of the change ({scope})");
        }
        return result;
    }

    public Task ChangeAsync(ConfigScope scope, Func<Task> change) => ChangeAsync(scope, async () =>
    {
        await change();
        return 0;
    });

    public static long Generation(Sub2ApiFactory node, ConfigScope scope)
    {
        var generation = node.Services.GetRequiredService<ConfigGeneration>();
        return scope == ConfigScope.Accounts ? generation.Accounts : generation.Callers;
    }

    /// <summary>An API-key account whose key names the fake's behaviour ("ok", "rl429", "slow", "hang", …).</summary>
    public Task<long> AddAccountAsync(string behaviour, int priority = 50, int concurrency = 3) => ChangeAsync(ConfigScope.Accounts, async () =>
    {
        var apiKey = $"sk-fake-{behaviour}-{Guid.NewGuid():N}";
        var id = await TestSeed.AccountAsync(A, GroupId, AccountTypes.ApiKey,
            new JsonObject { ["api_key"] = apiKey, ["base_url"] = Upstream.BaseUrl }, priority, concurrency);
        _credentials[id] = apiKey;
        return id;
    });

    /// <summary>A user with this balance and concurrency and an API key bound to the cluster's group.</summary>
    public Task<(string Key, long UserId, long KeyId)> AddUserWithKeyAsync(decimal balance = 10m, int concurrency = 5) =>
        ChangeAsync(ConfigScope.Callers, () => TestSeed.UserWithKeyAsync(A, GroupId, balance, concurrency));

    public string CredentialOf(long accountId) => _credentials[accountId];

    public IReadOnlyList<ReceivedRequest> UpstreamRequests(long accountId) => Upstream.ReceivedFor(CredentialOf(accountId));

    public long AccountOf(ReceivedRequest request) => _credentials.Single(p => request.Credential.Contains(p.Value, StringComparison.Ordinal)).Key;

    /// <summary>A client of one node over its real socket.</summary>
    public static HttpClient Client(Sub2ApiFactory node, string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.ServerAddress), Timeout = TimeSpan.FromSeconds(90) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        }
        return client;
    }

    /// <summary>One /v1/messages call on a node; a new conversation unless <paramref name="text"/> pins one.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(Sub2ApiFactory node, string apiKey, bool stream = false, string? text = null)
    {
        using var client = Client(node, apiKey);
        using var response = await client.PostAsync("/v1/messages", RelayScenario.MessageBody(stream, text: text ?? $"hi {Guid.NewGuid():N}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until every node has written what it recorded.</summary>
    public async Task FlushUsageAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var node in Nodes)
        {
            await node.Services.GetRequiredService<UsageRecorder>().FlushAsync(timeout.Token);
        }
    }

    public Task<T> DbAsync<T>(Func<Sub2Api.Data.Sub2ApiDbContext, Task<T>> query) => A.WithDbAsync(query);

    public Task<decimal> BalanceAsync(long userId) => DbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Balance).FirstAsync());

    public static Task WaitUntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null) =>
        Sub2Api.IntegrationTests.Redis.RedisTestKit.WaitUntilAsync(condition, timeout ?? TimeSpan.FromSeconds(10), because);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
        await Upstream.DisposeAsync();
        Redis.Dispose();
        await _database.DisposeAsync();
    }
}

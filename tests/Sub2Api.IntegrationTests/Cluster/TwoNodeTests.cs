using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Scheduling.StickySessions;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>
/// Two gateway hosts on one PostgreSQL and one Redis act as one gateway: identity, slots, stickiness, account
/// health and billing are the cluster's, not a node's.
/// </summary>
public sealed class TwoNodeTests
{
    private static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    private static HttpClient WithToken(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> LoginAsync(Sub2ApiFactory node, string email, string password)
    {
        using var client = GatewayCluster.Client(node);
        return await DataAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password }));
    }

    [Fact]
    public async Task KeysAndTokens_MadeOnOneNode_WorkOnTheOther_AndRevocationReachesItAtOnce()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        await cluster.AddAccountAsync("ok");

        // An admin token from A works on B (shared JWT_SECRET); the user is created through A.
        var adminToken = (await LoginAsync(cluster.A, Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword)).GetProperty("access_token").GetString()!;
        using var adminOnB = WithToken(GatewayCluster.Client(cluster.B), adminToken);
        Assert.Equal("admin", (await DataAsync(await adminOnB.GetAsync("/api/v1/auth/me"))).GetProperty("role").GetString());
        using var adminOnA = WithToken(GatewayCluster.Client(cluster.A), adminToken);
        await DataAsync(await adminOnA.PostAsJsonAsync("/api/v1/admin/users", new { email = "roamer@example.com", password = "roamer-password", balance = 10m }));

        // The user logs in on B, refreshes on A (refresh tokens live in the database), creates a key on A …
        var login = await LoginAsync(cluster.B, "roamer@example.com", "roamer-password");
        using var refreshOnA = GatewayCluster.Client(cluster.A);
        var refreshed = await DataAsync(await refreshOnA.PostAsJsonAsync("/api/v1/auth/refresh",
            new { refresh_token = login.GetProperty("refresh_token").GetString() }));
        using var userOnA = WithToken(GatewayCluster.Client(cluster.A), refreshed.GetProperty("access_token").GetString()!);
        var created = await DataAsync(await userOnA.PostAsJsonAsync("/api/v1/keys", new { name = "roaming", group_id = cluster.GroupId }));
        var key = created.GetProperty("key").GetString()!;
        var keyId = created.GetProperty("id").GetInt64();

        // … and uses it on B.
        var (status, body) = await GatewayCluster.SendAsync(cluster.B, key);
        Assert.True(status == HttpStatusCode.OK, body);

        // Disabled on A: B (which has the key cached for a minute) refuses it as soon as the bus message arrives.
        using var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/keys/{keyId}") { Content = JsonContent.Create(new { status = "disabled" }) };
        await DataAsync(await userOnA.SendAsync(update));
        await GatewayCluster.WaitUntilAsync(async () => (await GatewayCluster.SendAsync(cluster.B, key)).Status == HttpStatusCode.Unauthorized,
            "B refuses the disabled key long before its one-minute cache entry would expire", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AccountWithConcurrencyOne_IsNeverUsedByTwoRequestsAtOnce_AcrossNodes()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        cluster.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(60);
        var account = await cluster.AddAccountAsync("slow", concurrency: 1);
        var (key, userId, _) = await cluster.AddUserWithKeyAsync(concurrency: 10);

        var onA = GatewayCluster.SendAsync(cluster.A, key, stream: true);
        await GatewayCluster.WaitUntilAsync(() => Task.FromResult(cluster.Upstream.Received.Count == 1), "A's stream is upstream");
        var onB = GatewayCluster.SendAsync(cluster.B, key, stream: true); // B sees the slot taken in Redis and waits
        var results = await Task.WhenAll(onA, onB);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(results, r => Assert.Contains("event: message_stop", r.Body, StringComparison.Ordinal));
        var received = cluster.UpstreamRequests(account).OrderBy(r => r.StartedAt).ToList();
        Assert.Equal(2, received.Count);
        Assert.True(received[1].StartedAt >= received[0].FinishedAt,
            $"second upstream call started at {received[1].StartedAt:O}, before the first finished at {received[0].FinishedAt:O}");
        var db = cluster.Redis.Database;
        await GatewayCluster.WaitUntilAsync(async () => await db.SortedSetLengthAsync(SlotScopes.Account(account)) == 0
            && await db.SortedSetLengthAsync(SlotScopes.User(userId)) == 0, "both nodes released their slots");
        Assert.True((await db.StringGetAsync(SlotScopes.AccountQueue(account))).IsNull, "B left the account's wait queue");
    }

    [Fact]
    public async Task ManyConcurrentRequestsOnBothNodes_NeverOverlapOnAConcurrencyOneAccount()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        cluster.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(10);
        var account = await cluster.AddAccountAsync("slow", concurrency: 1);
        var (key, _, _) = await cluster.AddUserWithKeyAsync(concurrency: 20);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            GatewayCluster.SendAsync(i % 2 == 0 ? cluster.A : cluster.B, key, stream: i % 3 != 0)));

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        var received = cluster.UpstreamRequests(account).OrderBy(r => r.StartedAt).ToList();
        Assert.Equal(6, received.Count);
        for (var i = 1; i < received.Count; i++)
        {
            Assert.True(received[i].StartedAt >= received[i - 1].FinishedAt, $"upstream call {i} overlapped call {i - 1}");
        }
    }

    [Fact]
    public async Task StickyBinding_MadeOnA_IsHonouredOnB()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var bound = await cluster.AddAccountAsync("ok", priority: 50);
        var (key, _, _) = await cluster.AddUserWithKeyAsync();
        const string conversation = "a conversation that should stay on one account";

        // On A the only account serves the conversation and gets the binding (in Redis, under the prefix).
        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.A, key, text: conversation)).Status);
        var server = cluster.Redis.Multiplexer.GetServers()[0];
        var stickyKeys = server.Keys(pattern: cluster.RedisPrefix + "sticky_session:*").ToList();
        Assert.Equal(bound, (long)await cluster.Redis.Multiplexer.GetDatabase().StringGetAsync(Assert.Single(stickyKeys)));

        // A better account appears; B still routes the conversation to the bound one …
        var better = await cluster.AddAccountAsync("ok", priority: 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.B, key, text: conversation)).Status);
        }
        Assert.Equal(4, cluster.UpstreamRequests(bound).Count);
        // … while a new conversation on B goes to the better account (so B's own choice would have differed).
        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.B, key)).Status);
        Assert.Single(cluster.UpstreamRequests(better));
    }

    [Fact]
    public async Task AccountBenchedOnA_IsSkippedByB()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var limited = await cluster.AddAccountAsync("rl429", priority: 1);
        var healthy = await cluster.AddAccountAsync("ok", priority: 50);
        var (key, _, _) = await cluster.AddUserWithKeyAsync();

        // On A the preferred account answers 429: it is benched (rate_limit_reset_at) and A fails over.
        var accountsOnB = GatewayCluster.Generation(cluster.B, ConfigScope.Accounts);
        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.A, key)).Status);
        Assert.Single(cluster.UpstreamRequests(limited));
        var row = await cluster.DbAsync(db => db.Accounts.AsNoTracking().FirstAsync(a => a.Id == limited));
        Assert.True(row.RateLimitResetAt > DateTime.UtcNow);

        // B hears of it over the bus (no cache lifetime to wait out) and never tries the benched account.
        await GatewayCluster.WaitUntilAsync(() => Task.FromResult(GatewayCluster.Generation(cluster.B, ConfigScope.Accounts) > accountsOnB),
            "B received A's account change", TimeSpan.FromSeconds(5));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.B, key)).Status);
        }
        Assert.Single(cluster.UpstreamRequests(limited));
        Assert.Equal(4, cluster.UpstreamRequests(healthy).Count);
    }

    [Fact]
    public async Task OneUser_ConcurrentRequestsOnBothNodes_BilledExactly()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        await cluster.AddAccountAsync("ok", concurrency: 20);
        await cluster.AddAccountAsync("ok", concurrency: 20);
        const decimal start = 100m;
        var (key, userId, _) = await cluster.AddUserWithKeyAsync(balance: start, concurrency: 30);
        const int perNode = 12;

        var results = await Task.WhenAll(Enumerable.Range(0, perNode * 2).Select(i =>
            GatewayCluster.SendAsync(i % 2 == 0 ? cluster.A : cluster.B, key, stream: i % 4 < 2)));
        await cluster.FlushUsageAsync();

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        var rows = await cluster.DbAsync(db => db.UsageLogs.AsNoTracking().Where(u => u.UserId == userId).ToListAsync());
        Assert.Equal(perNode * 2, rows.Count);
        Assert.Equal(perNode * 2, rows.Select(r => r.RequestId).Distinct().Count());
        Assert.All(rows, r => Assert.True(r.ActualCost > 0));
        var charged = rows.Sum(r => r.ActualCost);
        Assert.Equal(start - charged, await cluster.BalanceAsync(userId));
        Assert.Equal(rows[0].ActualCost * rows.Count, charged); // same usage each time: every request cost the same

        // Both nodes' balance caches converge on the database (each heard of the other's commits).
        foreach (var node in cluster.Nodes)
        {
            var view = node.Services.GetRequiredService<BalanceView>();
            await GatewayCluster.WaitUntilAsync(async () => await view.AvailableAsync(userId, CancellationToken.None) == start - charged,
                "every node's balance view shows the committed balance", TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task LoginLimit_IsSharedByTheNodes()
    {
        await using var cluster = await GatewayCluster.StartAsync(settings: new Dictionary<string, string?> { ["Auth:LoginPermitsPerMinute"] = "4" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var client = GatewayCluster.Client(i % 2 == 0 ? cluster.A : cluster.B);
            using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.com", password = "wrong-password" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(429, body.GetProperty("code").GetInt32());
                Assert.Equal("RATE_LIMITED", body.GetProperty("reason").GetString());
                Assert.InRange(int.Parse(response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            }
        }

        // 4 attempts per minute for the cluster, not per node (per node it would be 3 + 3 = 6 answered).
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Bus_AppliesOtherNodesMessages_IgnoresItsOwnAndGarbage()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var bus = cluster.B.Services.GetRequiredService<Sub2Api.Infrastructure.Redis.RedisClusterBus>();
        var self = cluster.B.Services.GetRequiredService<Sub2Api.Infrastructure.Cluster.ClusterNode>().Id;
        var generation = cluster.B.Services.GetRequiredService<ConfigGeneration>();
        var (callers, accounts) = (generation.Callers, generation.Accounts);

        bus.Receive($"{{\"node\":\"{self}\",\"type\":\"config\",\"scope\":3}}");
        bus.Receive("not json");
        bus.Receive("{\"node\":\"elsewhere\",\"type\":\"config\",\"scope\":99}");
        bus.Receive("{\"node\":\"elsewhere\",\"type\":\"surprise\"}");
        Assert.Equal((callers, accounts), (generation.Callers, generation.Accounts));

        bus.Receive("{\"node\":\"elsewhere\",\"type\":\"config\",\"scope\":2}");
        Assert.Equal((callers, accounts + 1), (generation.Callers, generation.Accounts));

        // A local change on A goes out on the channel as one message naming A.
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = StackExchange.Redis.RedisChannel.Literal(cluster.RedisPrefix + Sub2Api.Infrastructure.Redis.RedisClusterBus.ChannelName);
        await cluster.Redis.Multiplexer.GetSubscriber().SubscribeAsync(channel, (_, value) => received.TrySetResult((string)value!));
        cluster.A.Services.GetRequiredService<ConfigGeneration>().Bump(ConfigScope.Callers);
        var message = JsonDocument.Parse(await received.Task.WaitAsync(TimeSpan.FromSeconds(5))).RootElement;
        Assert.Equal(cluster.A.Services.GetRequiredService<Sub2Api.Infrastructure.Cluster.ClusterNode>().Id, message.GetProperty("node").GetString());
        Assert.Equal("config", message.GetProperty("type").GetString());
        Assert.Equal((int)ConfigScope.Callers, message.GetProperty("scope").GetInt32());
    }

    [Fact]
    public async Task Fingerprint_SameClientIdForAnAccount_OnEveryNode()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var fingerprints = cluster.Nodes.Select(n => n.Services.GetRequiredService<Sub2Api.Providers.Anthropic.IFingerprintStore>()).ToList();
        Assert.All(fingerprints, f => Assert.IsType<Sub2Api.Providers.Anthropic.RedisFingerprintStore>(f));
        var onA = fingerprints[0].GetOrCreate(77, new Microsoft.AspNetCore.Http.HeaderDictionary());
        var onB = fingerprints[1].GetOrCreate(77, new Microsoft.AspNetCore.Http.HeaderDictionary());
        Assert.Equal(onA.ClientId, onB.ClientId);
        Assert.IsType<RedisStickySessionStore>(cluster.B.Services.GetRequiredService<IStickySessionStore>());
    }
}

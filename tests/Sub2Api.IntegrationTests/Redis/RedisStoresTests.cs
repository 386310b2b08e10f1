using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Infrastructure.Redis;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Scheduling.StickySessions;

namespace Sub2Api.IntegrationTests.Redis;

/// <summary>Sticky sessions, shared fingerprints and cluster leases on a real Redis.</summary>
public sealed class RedisStoresTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static RedisStickySessionStore Sticky(RedisConnection connection) => new(connection, NullLogger<RedisStickySessionStore>.Instance);

    private static RedisFingerprintStore Fingerprints(RedisConnection connection) =>
        new(connection, TimeProvider.System, NullLogger<RedisFingerprintStore>.Instance);

    private static HeaderDictionary Headers(string? userAgent, string os = "MacOS")
    {
        var headers = new HeaderDictionary { ["X-Stainless-OS"] = os };
        if (userAgent is not null)
        {
            headers["User-Agent"] = userAgent;
        }
        return headers;
    }

    [Fact]
    public async Task Sticky_SetGetDelete_SharedBetweenNodes()
    {
        using var kit = new RedisTestKit();
        var nodeA = Sticky(kit.NewConnection());
        var nodeB = Sticky(kit.NewConnection());
        var key = StickyKeys.For(3, "abc");

        await nodeA.SetAsync(key, 42, StickyKeys.Ttl);

        Assert.Equal(42, await nodeB.GetAsync(key));
        Assert.Equal("42", (string?)await kit.Connection.Database.StringGetAsync("sticky_session:3:abc"));
        var ttl = await kit.Connection.Database.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value.TotalMinutes, 59, 60);
        await nodeB.DeleteAsync(key);
        Assert.Null(await nodeA.GetAsync(key));
        Assert.Null(await nodeA.GetAsync(StickyKeys.For(null, "never-set")));
    }

    [Fact]
    public async Task Sticky_ExpiresAfterItsTtl_RefreshExtendsIt()
    {
        using var kit = new RedisTestKit();
        var sticky = Sticky(kit.Connection);
        var shortLived = StickyKeys.For(1, "short");
        var refreshed = StickyKeys.For(1, "refreshed");

        await sticky.SetAsync(shortLived, 7, TimeSpan.FromMilliseconds(600));
        await sticky.SetAsync(refreshed, 8, TimeSpan.FromMilliseconds(600));
        await sticky.RefreshAsync(refreshed, TimeSpan.FromMinutes(10));
        await sticky.RefreshAsync(StickyKeys.For(1, "missing"), TimeSpan.FromMinutes(10)); // no binding: nothing created
        Assert.Equal(7, await sticky.GetAsync(shortLived));

        await RedisTestKit.WaitUntilAsync(async () => await sticky.GetAsync(shortLived) is null, TimeSpan.FromSeconds(5),
            "the binding expires with its TTL");
        Assert.Equal(8, await sticky.GetAsync(refreshed));
        Assert.InRange((await kit.Connection.Database.KeyTimeToLiveAsync(refreshed))!.Value.TotalMinutes, 9, 10);
        Assert.False(await kit.Connection.Database.KeyExistsAsync(StickyKeys.For(1, "missing")));
    }

    [Fact]
    public void Fingerprint_TwoNodes_ShareOneClientIdPerAccount()
    {
        using var kit = new RedisTestKit();
        var nodeA = Fingerprints(kit.NewConnection());
        var nodeB = Fingerprints(kit.NewConnection());

        var first = nodeA.GetOrCreate(5, Headers("claude-cli/2.1.100 (external, cli)"));
        var seenByB = nodeB.GetOrCreate(5, Headers("claude-cli/2.1.100 (external, cli)", os: "Windows"));

        Assert.Matches("^[0-9a-f]{64}$", first.ClientId);
        Assert.Equal(first, seenByB); // B adopts A's identity, including A's first client's headers
        Assert.NotEqual(first.ClientId, nodeB.GetOrCreate(6, Headers(null)).ClientId);
        var stored = JsonSerializer.Deserialize<Fingerprint>((string)kit.Connection.Database.StringGet(RedisFingerprintStore.Key(5))!,
            Web);
        Assert.Equal(first, stored);
    }

    [Fact]
    public void Fingerprint_ConcurrentFirstUseOnManyNodes_OneWinnerEverywhere()
    {
        using var kit = new RedisTestKit();
        var nodes = Enumerable.Range(0, 4).Select(_ => Fingerprints(kit.NewConnection())).ToList();

        var seen = nodes.AsParallel().Select(n => n.GetOrCreate(9, Headers(null)).ClientId).ToList();

        Assert.Single(seen.Distinct());
    }

    [Fact]
    public void Fingerprint_KeepsTheSingleNodeRules()
    {
        using var kit = new RedisTestKit();
        var store = Fingerprints(kit.Connection);

        // An invalid first client does not become the identity (the in-memory store's rule, #5254).
        var created = store.GetOrCreate(1, Headers("claude-cli/999.0.0-local"));
        Assert.Equal(AnthropicHeaders.DefaultUserAgent, created.UserAgent);
        Assert.Equal("MacOS", created.StainlessOs);
        // Only a well-formed, strictly newer CLI upgrades the UA; the rest of the identity stays.
        Assert.Equal(AnthropicHeaders.DefaultUserAgent, store.GetOrCreate(1, Headers("curl/8.5.0")).UserAgent);
        Assert.Equal(AnthropicHeaders.DefaultUserAgent, store.GetOrCreate(1, Headers("claude-cli/2.0.1 (external, cli)")).UserAgent);
        var upgraded = store.GetOrCreate(1, Headers("claude-cli/2.9.0 (external, cli)", os: "Linux"));
        Assert.Equal("claude-cli/2.9.0 (external, cli)", upgraded.UserAgent);
        Assert.Equal(created with { UserAgent = upgraded.UserAgent }, upgraded);
        // The upgrade is shared: a node that meets the account later starts from it.
        var later = Fingerprints(kit.NewConnection()).GetOrCreate(1, Headers(null));
        Assert.Equal(upgraded, later);
    }

    [Fact]
    public void Fingerprint_GarbageInRedis_IsReplaced()
    {
        using var kit = new RedisTestKit();
        kit.Connection.Database.StringSet(RedisFingerprintStore.Key(2), "{not json");

        var fingerprint = Fingerprints(kit.Connection).GetOrCreate(2, Headers(null));

        Assert.Equal(fingerprint, Fingerprints(kit.NewConnection()).GetOrCreate(2, Headers(null)));
    }

    [Fact]
    public async Task Lease_TwoHolders_OnlyOneWins_OtherTakesOverWhenTheWinnerStopsRenewing()
    {
        using var kit = new RedisTestKit();
        var a = new ClusterLease(kit.NewConnection().Database, "node-a");
        var b = new ClusterLease(kit.NewConnection().Database, "node-b");
        var ttl = TimeSpan.FromSeconds(2);

        var first = await Task.WhenAll(a.TryAcquireAsync("job", ttl), b.TryAcquireAsync("job", ttl));
        Assert.Equal(1, first.Count(won => won));
        var (winner, loser) = first[0] ? (a, b) : (b, a);

        // The winner renews for a while; the other never gets in.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < ttl * 1.5)
        {
            Assert.True(await winner.TryAcquireAsync("job", ttl));
            Assert.False(await loser.TryAcquireAsync("job", ttl));
            await Task.Delay(200);
        }
        Assert.Equal(winner.Owner, (string?)await kit.Connection.Database.StringGetAsync(ClusterLease.Key("job")));

        // The winner dies (stops renewing, never releases): the other takes over once the lease runs out.
        await RedisTestKit.WaitUntilAsync(() => loser.TryAcquireAsync("job", ttl), ttl + TimeSpan.FromSeconds(3), "takeover after the TTL");
        Assert.False(await winner.TryAcquireAsync("job", ttl));

        // Release only works for the owner.
        await winner.ReleaseAsync("job");
        Assert.Equal(loser.Owner, (string?)await kit.Connection.Database.StringGetAsync(ClusterLease.Key("job")));
        await loser.ReleaseAsync("job");
        Assert.True(await winner.TryAcquireAsync("job", ttl));
        Assert.True(await a.TryAcquireAsync("other-job", ttl) && await b.TryAcquireAsync("another-job", ttl)); // leases are per name
    }

    [Fact]
    public async Task Lease_WithoutRedis_IsAlwaysGranted()
    {
        var lease = new ClusterLease("solo");
        Assert.True(await lease.TryAcquireAsync("job", TimeSpan.FromSeconds(1)));
        Assert.True(await new ClusterLease("other").TryAcquireAsync("job", TimeSpan.FromSeconds(1)));
        await lease.ReleaseAsync("job");
        Assert.False(lease.IsShared);
    }
}

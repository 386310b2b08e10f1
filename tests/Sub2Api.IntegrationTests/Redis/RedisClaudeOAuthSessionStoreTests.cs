using Sub2Api.Infrastructure.Redis;
using Sub2Api.Providers.Anthropic.OAuth;

namespace Sub2Api.IntegrationTests.Redis;

/// <summary>Claude OAuth flow sessions on a real Redis: shared by the nodes, taken exactly once, 30-minute TTL.</summary>
public sealed class RedisClaudeOAuthSessionStoreTests
{
    [Fact]
    public async Task SessionMadeOnOneNode_IsTakenOnAnother_ExactlyOnce()
    {
        using var kit = new RedisTestKit();
        var nodeA = new RedisClaudeOAuthSessionStore(kit.NewConnection());
        var nodeB = new RedisClaudeOAuthSessionStore(kit.NewConnection());
        var ct = TestContext.Current.CancellationToken;
        var created = new ClaudeOAuthSession("verifier-1", "state-1", SetupToken: true, ProxyId: 7, DateTimeOffset.UtcNow);

        var id = await nodeA.CreateAsync(created, ct);

        var ttl = await kit.Connection.Database.KeyTimeToLiveAsync(RedisClaudeOAuthSessionStore.Key(id));
        Assert.InRange(ttl!.Value.TotalMinutes, 29, 30);
        var taken = await nodeB.TakeAsync(id, ct);
        Assert.Equal(created with { CreatedAt = taken!.CreatedAt }, taken);
        Assert.Equal(created.CreatedAt.ToUnixTimeMilliseconds(), taken.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Null(await nodeA.TakeAsync(id, ct));
        Assert.False(await kit.Connection.Database.KeyExistsAsync(RedisClaudeOAuthSessionStore.Key(id)));
    }

    [Fact]
    public async Task ConcurrentTakesFromTwoNodes_OnlyOneGetsTheSession()
    {
        using var kit = new RedisTestKit();
        var stores = new[] { new RedisClaudeOAuthSessionStore(kit.NewConnection()), new RedisClaudeOAuthSessionStore(kit.NewConnection()) };
        var ct = TestContext.Current.CancellationToken;

        for (var round = 0; round < 20; round++)
        {
            var id = await stores[0].CreateAsync(new ClaudeOAuthSession("v", "s", false, null, DateTimeOffset.UtcNow), ct);
            var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => stores[i % 2].TakeAsync(id, ct)));
            Assert.Single(takes, t => t is not null);
        }
    }
}

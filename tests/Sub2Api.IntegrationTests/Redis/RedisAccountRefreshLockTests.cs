using Microsoft.Extensions.Logging.Abstractions;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Accounts;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.IntegrationTests.Redis;

/// <summary>The account lock two processes share: one holder at a time, renewed while held, released only by its owner.</summary>
public sealed class RedisAccountRefreshLockTests
{
    private static RedisAccountRefreshLock Lock(RedisTestKit kit) =>
        new(kit.NewConnection(), new ClusterNode(), TimeProvider.System, NullLogger<RedisAccountRefreshLock>.Instance);

    [Fact]
    public async Task TwoNodes_NeverHoldTheSameAccountsLockAtOnce()
    {
        using var kit = new RedisTestKit();
        var nodes = new[] { Lock(kit), Lock(kit) };
        var inside = 0;
        var maxInside = 0;
        var entered = 0;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            await using var held = await nodes[i % 2].AcquireAsync(42, TimeSpan.FromSeconds(20), CancellationToken.None);
            Assert.NotNull(held);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Delay(10);
            Interlocked.Decrement(ref inside);
            Interlocked.Increment(ref entered);
        }));

        Assert.Equal(16, entered);
        Assert.Equal(1, maxInside);
        Assert.False(await kit.Connection.Database.KeyExistsAsync(RedisAccountRefreshLock.Key(42)));
    }

    [Fact]
    public async Task AWaiter_GivesUpAfterItsWait_AndOtherAccountsAreIndependent()
    {
        using var kit = new RedisTestKit();
        var a = Lock(kit);
        var b = Lock(kit);
        await using var held = await a.AcquireAsync(7, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(held);

        Assert.Null(await b.AcquireAsync(7, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        await using var other = await b.AcquireAsync(8, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.NotNull(other);
        // The holder's key carries a TTL, so a crashed holder cannot block the account for ever.
        var ttl = await kit.Connection.Database.KeyTimeToLiveAsync(RedisAccountRefreshLock.Key(7));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), RedisAccountRefreshLock.Ttl);
    }

    [Fact]
    public async Task AHolderThatLostItsKey_DoesNotDeleteTheNextHolders()
    {
        using var kit = new RedisTestKit();
        var a = Lock(kit);
        var b = Lock(kit);
        var first = await a.AcquireAsync(9, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(first);
        // Simulate the first holder's key running out while it still believes it holds the lock.
        await kit.Connection.Database.KeyDeleteAsync(RedisAccountRefreshLock.Key(9));
        await using var second = await b.AcquireAsync(9, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(second);

        await first.DisposeAsync();

        Assert.True(await kit.Connection.Database.KeyExistsAsync(RedisAccountRefreshLock.Key(9)), "the owner check kept the second holder's key");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

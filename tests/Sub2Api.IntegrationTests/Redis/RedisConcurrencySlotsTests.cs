using System.Diagnostics;
using StackExchange.Redis;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.IntegrationTests.Redis;

/// <summary>The slot and wait-counter Lua (SPEC §4.7) on a real Redis.</summary>
public sealed class RedisConcurrencySlotsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Acquire_MaxTwo_ThirdRefused_ReacquireCountsOnce_ReleaseIdempotent()
    {
        using var kit = new RedisTestKit();
        await using var slots = kit.Slots(TimeSpan.FromMinutes(30));
        var scope = SlotScopes.Account(1);

        Assert.True(await slots.TryAcquireAsync(scope, "r1", 2, None));
        Assert.True(await slots.TryAcquireAsync(scope, "r2", 2, None));
        Assert.False(await slots.TryAcquireAsync(scope, "r3", 2, None));

        Assert.True(await slots.TryAcquireAsync(scope, "r1", 2, None)); // same request again: still its slot
        Assert.Equal(2, await slots.CountAsync(scope));
        Assert.Equal(2, await kit.Connection.Database.SortedSetLengthAsync(scope));

        await slots.ReleaseAsync(scope, "r1");
        await slots.ReleaseAsync(scope, "r1"); // idempotent: does not free r2's slot
        Assert.Equal(1, await slots.CountAsync(scope));
        Assert.True(await slots.TryAcquireAsync(scope, "r3", 2, None));
        Assert.False(await slots.TryAcquireAsync(scope, "r4", 2, None));
    }

    [Fact]
    public async Task Acquire_MembersScoredByRedisTime_KeyExpiresWithTheTtl()
    {
        using var kit = new RedisTestKit();
        await using var slots = kit.Slots(TimeSpan.FromMinutes(30));
        var scope = SlotScopes.User(9);

        Assert.True(await slots.TryAcquireAsync(scope, "0123456789abcdef", 1, None));

        var db = kit.Connection.Database;
        var score = await db.SortedSetScoreAsync(scope, "0123456789abcdef");
        var redisNow = (await kit.Connection.Multiplexer.GetServers()[0].TimeAsync()).Subtract(DateTime.UnixEpoch).TotalSeconds;
        Assert.InRange(score!.Value, redisNow - 5, redisNow + 1);
        var ttl = await db.KeyTimeToLiveAsync(scope);
        Assert.InRange(ttl!.Value.TotalMinutes, 29, 30);
    }

    [Fact]
    public async Task Acquire_MaxZeroOrLess_IsUnlimitedButCounted()
    {
        using var kit = new RedisTestKit();
        await using var slots = kit.Slots(TimeSpan.FromMinutes(30));
        var scope = SlotScopes.User(3);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await slots.TryAcquireAsync(scope, $"r{i}", 0, None));
        }
        Assert.Equal(5, await slots.CountAsync(scope));
    }

    [Fact]
    public async Task ExpiredSlot_OfANodeThatStoppedRefreshing_FreesItself()
    {
        using var kit = new RedisTestKit();
        var ttl = TimeSpan.FromSeconds(1);
        var scope = SlotScopes.Account(2);
        var dead = kit.Slots(ttl);
        Assert.True(await dead.TryAcquireAsync(scope, "dead-request", 1, None));
        await dead.DisposeAsync(); // the node is gone: no release, no more refreshes

        await using var live = kit.Slots(ttl);
        Assert.False(await live.TryAcquireAsync(scope, "new-request", 1, None));
        var clock = Stopwatch.StartNew();
        await RedisTestKit.WaitUntilAsync(async () => await live.TryAcquireAsync(scope, "new-request", 1, None),
            ttl + TimeSpan.FromSeconds(3), "the dead node's slot expires after its TTL");
        Assert.True(clock.Elapsed >= ttl - TimeSpan.FromMilliseconds(600), $"freed after {clock.Elapsed}, before the TTL");
        Assert.Equal(1, await live.CountAsync(scope));
    }

    [Fact]
    public async Task ExpiredSlot_UntouchedKey_DisappearsFromRedis()
    {
        using var kit = new RedisTestKit();
        var ttl = TimeSpan.FromSeconds(1);
        var scope = SlotScopes.Account(5);
        var dead = kit.Slots(ttl);
        Assert.True(await dead.TryAcquireAsync(scope, "r1", 1, None));
        await dead.DisposeAsync();

        await RedisTestKit.WaitUntilAsync(async () => !await kit.Connection.Database.KeyExistsAsync(scope),
            ttl + TimeSpan.FromSeconds(3), "the slot ZSET expires by itself");
    }

    [Fact]
    public async Task HeldSlot_OfALiveNode_IsRefreshedBeyondItsTtl()
    {
        using var kit = new RedisTestKit();
        var ttl = TimeSpan.FromSeconds(1.5); // refreshed every 0.5 s
        var scope = SlotScopes.Account(6);
        await using var holder = kit.Slots(ttl);
        await using var other = kit.Slots(ttl);
        Assert.True(await holder.TryAcquireAsync(scope, "long-stream", 1, None));

        // For three TTLs the slot stays taken (the holder refreshes it), checked continuously.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ttl * 3)
        {
            Assert.False(await other.TryAcquireAsync(scope, "intruder", 1, None), $"slot lost after {clock.Elapsed}");
            await Task.Delay(100);
        }
        await holder.ReleaseAsync(scope, "long-stream");
        Assert.True(await other.TryAcquireAsync(scope, "intruder", 1, None));
    }

    [Fact]
    public async Task WaitCounter_BoundedByMax_NeverBelowZero_Expires()
    {
        using var kit = new RedisTestKit();
        await using var slots = kit.Slots(TimeSpan.FromSeconds(30));
        var queue = SlotScopes.UserQueue(4);

        Assert.True(await slots.TryEnterQueueAsync(queue, 2));
        Assert.True(await slots.TryEnterQueueAsync(queue, 2));
        Assert.False(await slots.TryEnterQueueAsync(queue, 2));
        Assert.Equal(2, await slots.QueueLengthAsync(queue));
        var ttl = await kit.Connection.Database.KeyTimeToLiveAsync(queue);
        Assert.InRange(ttl!.Value.TotalSeconds, 25, 30);

        await slots.LeaveQueueAsync(queue);
        await slots.LeaveQueueAsync(queue);
        await slots.LeaveQueueAsync(queue); // one more than entered
        await slots.LeaveQueueAsync(SlotScopes.UserQueue(404)); // never entered
        Assert.Equal(0, await slots.QueueLengthAsync(queue));
        Assert.Equal(0, await slots.QueueLengthAsync(SlotScopes.UserQueue(404)));
        var raw = await kit.Connection.Database.StringGetAsync(queue);
        Assert.True(raw.IsNull || (long)raw >= 0, $"counter went to {raw}");

        Assert.True(await slots.TryEnterQueueAsync(queue, 2));
        Assert.Equal(1, await slots.QueueLengthAsync(queue)); // not 0: no negative debt was kept
        Assert.False(await slots.TryEnterQueueAsync(SlotScopes.AccountQueue(1), 0));
    }

    [Fact]
    public async Task AccountLoads_AllCandidatesInOneScript_CountOnlyLiveSlots()
    {
        using var kit = new RedisTestKit();
        await using var slots = kit.Slots(TimeSpan.FromMinutes(30));
        Assert.True(await slots.TryAcquireAsync(SlotScopes.Account(10), "a", 4, None));
        Assert.True(await slots.TryAcquireAsync(SlotScopes.Account(10), "b", 4, None));
        Assert.True(await slots.TryEnterQueueAsync(SlotScopes.AccountQueue(10), 10));
        Assert.True(await slots.TryAcquireAsync(SlotScopes.Account(11), "c", 1, None));
        // A member scored long ago (a slot nobody refreshed for more than the TTL) is not load.
        await kit.Connection.Database.SortedSetAddAsync(SlotScopes.Account(12), "stale", 1_000);

        var loads = await slots.GetAccountLoadsAsync([(10, 4), (11, 1), (12, 2), (13, 0)]);

        Assert.Equal(new AccountLoad(10, 2, 1, 75), loads[10]);
        Assert.Equal(new AccountLoad(11, 1, 0, 100), loads[11]);
        Assert.Equal(new AccountLoad(12, 0, 0, 0), loads[12]);
        Assert.Equal(new AccountLoad(13, 0, 0, 0), loads[13]);
        Assert.Empty(await slots.GetAccountLoadsAsync([]));
    }

    [Fact]
    public async Task ConcurrentAcquires_FromTwoNodes_NeverExceedMax()
    {
        using var kit = new RedisTestKit();
        await using var a = kit.Slots(TimeSpan.FromMinutes(30));
        await using var b = kit.Slots(TimeSpan.FromMinutes(30));
        var scope = SlotScopes.Account(20);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? a : b).TryAcquireAsync(scope, $"r{i}", 3, None).AsTask()));

        Assert.Equal(3, results.Count(granted => granted));
        Assert.Equal(3, await a.CountAsync(scope));
    }

    [Fact]
    public async Task Keys_CarryTheDeploymentPrefix()
    {
        using var kit = new RedisTestKit();
        await using var slots = kit.Slots(TimeSpan.FromMinutes(30));
        Assert.True(await slots.TryAcquireAsync(SlotScopes.Account(7), "r", 1, None));
        var raw = kit.Connection.Multiplexer.GetDatabase();
        Assert.True(await raw.KeyExistsAsync(kit.Prefix + "concurrency:account:7"));
        Assert.False(await raw.KeyExistsAsync((RedisKey)"concurrency:account:7"));
    }
}

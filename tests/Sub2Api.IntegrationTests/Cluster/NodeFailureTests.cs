using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>What happens when a node dies or stops: no leaked slots, jobs move to a surviving node.</summary>
public sealed class NodeFailureTests
{
    [Fact]
    public async Task NodeKilledMidStream_LeaksNoSlotBeyondItsTtl()
    {
        var ttl = TimeSpan.FromSeconds(3);
        await using var cluster = await GatewayCluster.StartAsync(nodes: 1, settings: new Dictionary<string, string?>
        {
            ["Gateway:ConcurrencySlotTtlMinutes"] = (ttl.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var account = await cluster.AddAccountAsync("hang", concurrency: 1); // streams the first delta, then goes silent
        var (key, userId, _) = await cluster.AddUserWithKeyAsync(concurrency: 5);
        await using var victim = await GatewayProcess.StartAsync(cluster.Settings);

        // A stream through the separate process holds the account's only slot (and a user slot) in Redis.
        using var client = new HttpClient { BaseAddress = new Uri(victim.Address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-api-key", key);
        var streaming = client.PostAsync("/v1/messages", RelayScenario.MessageBody(stream: true, text: "a long answer"),
            CancellationToken.None);
        var db = cluster.Redis.Database;
        var accountSlot = SlotScopes.Account(account);
        var userSlot = SlotScopes.User(userId);
        await GatewayCluster.WaitUntilAsync(async () => cluster.UpstreamRequests(account).Count == 1
            && await db.SortedSetLengthAsync(accountSlot) == 1 && await db.SortedSetLengthAsync(userSlot) == 1,
            "the process's stream is upstream, holding its slots", TimeSpan.FromSeconds(30));

        // While the process lives, its slot outlives the TTL (it keeps refreshing it) and blocks the account.
        var held = Stopwatch.StartNew();
        while (held.Elapsed < ttl + TimeSpan.FromSeconds(1))
        {
            Assert.Equal(1, await db.SortedSetLengthAsync(accountSlot));
            await Task.Delay(200);
        }

        await victim.KillAsync();
        var sinceKill = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await streaming).Content.ReadAsStringAsync());

        // Nobody releases them: they run out within one TTL of the last refresh.
        await GatewayCluster.WaitUntilAsync(async () => !await db.KeyExistsAsync(accountSlot) && !await db.KeyExistsAsync(userSlot),
            "the dead node's slots expire", ttl + TimeSpan.FromSeconds(5));
        Assert.True(sinceKill.Elapsed <= ttl + TimeSpan.FromSeconds(5), $"slots gone after {sinceKill.Elapsed}");

        // The surviving node can use the account at once.
        cluster.Upstream.Heal("hang");
        var served = Stopwatch.StartNew();
        var (status, body) = await GatewayCluster.SendAsync(cluster.A, key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True(served.Elapsed < TimeSpan.FromSeconds(2), $"waited {served.Elapsed} for the account");
        Assert.Equal(2, cluster.UpstreamRequests(account).Count);
    }

    [Fact]
    public async Task ExpirySweeper_RunsOnOneNode_AndMovesWhenThatNodeStops()
    {
        await using var cluster = await GatewayCluster.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Cluster:ExpirySweepIntervalSeconds"] = "0.2",
            ["Cluster:JobLeaseSeconds"] = "2",
        });
        var past = DateTime.UtcNow.AddMinutes(-5);
        var (_, userId, expiredKeyId) = await cluster.AddUserWithKeyAsync();
        var (_, _, liveKeyId) = await cluster.AddUserWithKeyAsync();
        var expiredAccount = await cluster.AddAccountAsync("ok");
        var liveAccount = await cluster.AddAccountAsync("ok");
        // From here only the sweep moves the account scope (set-based updates bump nothing by themselves).
        var accountsOnB = GatewayCluster.Generation(cluster.B, ConfigScope.Accounts);
        await cluster.A.WithDbAsync(async db =>
        {
            await db.ApiKeys.Where(k => k.Id == expiredKeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, past));
            await db.ApiKeys.Where(k => k.Id == liveKeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, DateTime.UtcNow.AddDays(1)));
            await db.Accounts.Where(a => a.Id == expiredAccount).ExecuteUpdateAsync(s => s.SetProperty(a => a.ExpiresAt, past));
            db.UserSubscriptions.Add(new UserSubscription { UserId = userId, GroupId = cluster.GroupId, StartsAt = past.AddDays(-30), ExpiresAt = past });
            await db.SaveChangesAsync();
        });

        await GatewayCluster.WaitUntilAsync(() => cluster.DbAsync(async db =>
                await db.ApiKeys.AnyAsync(k => k.Id == expiredKeyId && k.Status == Statuses.Expired)
                && await db.Accounts.AnyAsync(a => a.Id == expiredAccount && !a.Schedulable)
                && await db.UserSubscriptions.AnyAsync(x => x.UserId == userId && x.Status == Statuses.Expired)),
            "the sweeper expired the key and the subscription and paused the account");
        Assert.Equal(Statuses.Active, await cluster.DbAsync(db => db.ApiKeys.Where(k => k.Id == liveKeyId).Select(k => k.Status).FirstAsync()));
        Assert.True(await cluster.DbAsync(db => db.Accounts.Where(a => a.Id == liveAccount).Select(a => a.Schedulable).FirstAsync()));
        // The sweep's bump reached the other node too (whichever node swept).
        await GatewayCluster.WaitUntilAsync(() => Task.FromResult(GatewayCluster.Generation(cluster.B, ConfigScope.Accounts) > accountsOnB),
            "B heard of the sweep");

        // Exactly one node holds the lease and does the work.
        var sweepers = cluster.Nodes.Select(n => n.Services.GetRequiredService<ExpirySweeper>()).ToList();
        var leaseKey = ClusterLease.Key(ExpirySweeper.JobName);
        var holder = (string?)await cluster.Redis.Database.StringGetAsync(leaseKey);
        Assert.Single(sweepers, s => s.IsLeader);
        var leaderIndex = sweepers.FindIndex(s => s.IsLeader);
        Assert.Equal(0, sweepers[1 - leaderIndex].Runs);
        Assert.Equal(cluster.Nodes[leaderIndex].Services.GetRequiredService<ClusterNode>().Id, holder);

        // The leader stops (gracefully: it hands the lease back); the other node takes the job over.
        await cluster.Nodes[leaderIndex].DisposeAsync();
        var survivor = sweepers[1 - leaderIndex];
        await GatewayCluster.WaitUntilAsync(() => Task.FromResult(survivor.IsLeader && survivor.Runs > 0), "the other node took the job over");
        Assert.Equal(cluster.Nodes[1 - leaderIndex].Services.GetRequiredService<ClusterNode>().Id,
            (string?)await cluster.Redis.Database.StringGetAsync(leaseKey));
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Subscriptions;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>
/// A subscription's caps are the cluster's: charges committed by one node reach the other's window view over the
/// bus, the windows' UPDATE runs on PostgreSQL, and every request is billed once.
/// </summary>
public sealed class SubscriptionClusterTests
{
    [Fact]
    public async Task ADailyCap_IsEnforcedAcrossNodes_AndTheWindowsAreBilledExactly()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        await cluster.AddAccountAsync("ok");
        var (key, userId, _) = await cluster.AddUserWithKeyAsync(balance: 5m);
        long subscriptionId = 0;
        await cluster.ChangeAsync(ConfigScope.Callers, () => cluster.A.WithDbAsync(async db =>
        {
            var group = await db.Groups.SingleAsync(g => g.Id == cluster.GroupId);
            group.SubscriptionType = SubscriptionTypes.Subscription;
            var now = DateTime.UtcNow;
            var subscription = new UserSubscription { UserId = userId, GroupId = group.Id, StartsAt = now, ExpiresAt = now.AddDays(30), AssignedAt = now };
            db.UserSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            subscriptionId = subscription.Id;
        }));

        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.A, key)).Status);
        await BilledAsync(1);
        var cost = await cluster.DbAsync(db => db.UsageLogs.Where(u => u.UserId == userId).Select(u => u.ActualCost).SingleAsync());
        await cluster.ChangeAsync(ConfigScope.Callers, () => cluster.A.WithDbAsync(async db =>
        {
            (await db.Groups.SingleAsync(g => g.Id == cluster.GroupId)).DailyLimitUsd = cost * 2.5m;
            await db.SaveChangesAsync();
        }));

        // B spends, then A spends: each sees the other's committed charge before admitting its next request.
        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.B, key)).Status);
        await BilledAsync(2);
        await SeesAsync(cluster.A, 2 * cost);
        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.A, key)).Status);
        await BilledAsync(3);
        await SeesAsync(cluster.B, 3 * cost);
        Assert.Equal((HttpStatusCode)429, (await GatewayCluster.SendAsync(cluster.B, key)).Status);
        Assert.Equal((HttpStatusCode)429, (await GatewayCluster.SendAsync(cluster.A, key)).Status);

        var subscription = await cluster.DbAsync(db => db.UserSubscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId));
        var billed = await cluster.DbAsync(db => db.UsageLogs.Where(u => u.UserId == userId).Select(u => u.ActualCost).ToListAsync());
        Assert.Equal(3, billed.Count);
        Assert.Equal(billed.Sum(), subscription.DailyUsageUsd);
        Assert.Equal(billed.Sum(), subscription.MonthlyUsageUsd);
        Assert.NotNull(subscription.DailyWindowStart);
        Assert.Equal(5m, await cluster.BalanceAsync(userId));

        // The relay records a request as its response ends, which may be just after the client has read it.
        Task BilledAsync(int rows) => GatewayCluster.WaitUntilAsync(
            async () => await cluster.DbAsync(db => db.UsageLogs.CountAsync(u => u.UserId == userId)) == rows, $"{rows} usage rows written");

        async Task SeesAsync(Sub2Api.FunctionalTests.Infrastructure.Sub2ApiFactory node, decimal expected)
        {
            var view = node.Services.GetRequiredService<SubscriptionUsageView>();
            await GatewayCluster.WaitUntilAsync(async () =>
                (await view.UsageAsync(subscriptionId, userId, DateTime.UtcNow, CancellationToken.None)).Daily == expected,
                $"the node's window view shows {expected}");
        }
    }
}

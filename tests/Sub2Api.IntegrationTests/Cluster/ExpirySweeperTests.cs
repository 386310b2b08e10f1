using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Infrastructure.Cluster;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>The sweep itself, on the single-node default (SQLite, lease always granted).</summary>
public sealed class ExpirySweeperTests
{
    [Fact]
    public async Task Sweep_ExpiresKeysAndSubscriptions_PausesAccounts_OnlyPastExpiry_Idempotent()
    {
        await using var s = await RelayScenario.StartAsync();
        var past = DateTime.UtcNow.AddMinutes(-1);
        var future = DateTime.UtcNow.AddDays(1);
        var (_, userId, expiredKey) = await s.AddUserWithKeyAsync(configureKey: k => k.ExpiresAt = past);
        var (_, _, liveKey) = await s.AddUserWithKeyAsync(configureKey: k => k.ExpiresAt = future);
        var (_, _, disabledKey) = await s.AddUserWithKeyAsync(configureKey: k => { k.ExpiresAt = past; k.Status = Statuses.Disabled; });
        var expiredAccount = await s.AddApiKeyAccountAsync("ok");
        var keptAccount = await s.AddApiKeyAccountAsync("ok");
        var liveAccount = await s.AddApiKeyAccountAsync("ok");
        await s.UpdateAccountAsync(expiredAccount, a => a.ExpiresAt = past);
        await s.UpdateAccountAsync(keptAccount, a => { a.ExpiresAt = past; a.AutoPauseOnExpired = false; });
        await s.UpdateAccountAsync(liveAccount, a => a.ExpiresAt = future);
        await s.App.WithDbAsync(async db =>
        {
            db.UserSubscriptions.Add(new UserSubscription { UserId = userId, GroupId = s.GroupId, StartsAt = past.AddDays(-1), ExpiresAt = past });
            db.UserSubscriptions.Add(new UserSubscription { UserId = userId, GroupId = s.GroupId, StartsAt = past, ExpiresAt = future });
            await db.SaveChangesAsync();
        });
        var sweeper = s.App.Services.GetRequiredService<ExpirySweeper>();
        var generation = s.App.Services.GetRequiredService<ConfigGeneration>();
        var (callers, accounts) = (generation.Callers, generation.Accounts);

        Assert.Equal(new SweepResult(ApiKeys: 1, Accounts: 1, Subscriptions: 1), await sweeper.SweepAsync(CancellationToken.None));

        Assert.True(generation.Callers > callers && generation.Accounts > accounts, "caches are told");
        var keys = await s.App.WithDbAsync(db => db.ApiKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, k => k.Status));
        Assert.Equal(Statuses.Expired, keys[expiredKey]);
        Assert.Equal(Statuses.Active, keys[liveKey]);
        Assert.Equal(Statuses.Disabled, keys[disabledKey]); // an admin's "disabled" is not overwritten
        Assert.False((await s.AccountAsync(expiredAccount)).Schedulable);
        Assert.True((await s.AccountAsync(keptAccount)).Schedulable); // auto-pause off
        Assert.True((await s.AccountAsync(liveAccount)).Schedulable);
        var subscriptions = await s.App.WithDbAsync(db => db.UserSubscriptions.AsNoTracking().OrderBy(x => x.Id).Select(x => x.Status).ToListAsync());
        Assert.Equal([Statuses.Expired, Statuses.Active], subscriptions);

        (callers, accounts) = (generation.Callers, generation.Accounts);
        Assert.Equal(default, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal((callers, accounts), (generation.Callers, generation.Accounts)); // nothing changed, nothing bumped
    }
}

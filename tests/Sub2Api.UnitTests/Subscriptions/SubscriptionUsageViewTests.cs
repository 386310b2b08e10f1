using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Subscriptions;

namespace Sub2Api.UnitTests.Subscriptions;

/// <summary>The view the relay admits against: stored windows + uncommitted charges, without a read per request.</summary>
public sealed class SubscriptionUsageViewTests : IAsyncDisposable
{
    private static readonly DateTime Midnight = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Midnight.AddHours(9)));
    private int _reads;

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private sealed class CountingFactory(DbContextOptions<SqliteSub2ApiDbContext> options, Action onCreate) : IDbContextFactory<Sub2ApiDbContext>
    {
        public Sub2ApiDbContext CreateDbContext()
        {
            onCreate();
            return new SqliteSub2ApiDbContext(options);
        }
    }

    private async Task<(SubscriptionUsageView View, long SubscriptionId, ConfigGeneration Generation)> StartAsync(decimal dailyUsed)
    {
        await _connection.OpenAsync(TestContext.Current.CancellationToken);
        var options = new DbContextOptionsBuilder<SqliteSub2ApiDbContext>().UseSqlite(_connection).UseSnakeCaseNamingConvention().Options;
        long id;
        await using (var db = new SqliteSub2ApiDbContext(options))
        {
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
            var user = new User { Email = "u@example.com", PasswordHash = "x" };
            var group = new Group { Name = "plan", SubscriptionType = SubscriptionTypes.Subscription };
            db.AddRange(user, group);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            var subscription = new UserSubscription
            {
                UserId = user.Id, GroupId = group.Id, StartsAt = Midnight, ExpiresAt = Midnight.AddDays(30),
                DailyUsageUsd = dailyUsed, DailyWindowStart = Midnight, WeeklyUsageUsd = dailyUsed, WeeklyWindowStart = Midnight,
                MonthlyUsageUsd = dailyUsed, MonthlyWindowStart = Midnight,
            };
            db.Add(subscription);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            id = subscription.Id;
        }
        var generation = new ConfigGeneration();
        var view = new SubscriptionUsageView(new CountingFactory(options, () => _reads++), generation, new SubscriptionClock(TimeZoneInfo.Utc), _time);
        return (view, id, generation);
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Pending_CountsAtOnce_AndACommitMovesItIntoTheStoredWindows_WithoutAReread()
    {
        var (view, id, _) = await StartAsync(dailyUsed: 2m);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(new SubscriptionUsage(2m, 2m, 2m), await view.UsageAsync(id, 1, Now, ct));
        Assert.Equal(1, _reads);

        view.Hold(id, 1, 0.25m);
        Assert.Equal(new SubscriptionUsage(2.25m, 2.25m, 2.25m), await view.UsageAsync(id, 1, Now, ct));
        view.Settle(id, 1, 0.25m, charged: true, Now);
        Assert.Equal(new SubscriptionUsage(2.25m, 2.25m, 2.25m), await view.UsageAsync(id, 1, Now, ct));

        // A duplicate (not charged) only releases the hold.
        view.Hold(id, 1, 1m);
        view.Settle(id, 1, 1m, charged: false, Now);
        Assert.Equal(new SubscriptionUsage(2.25m, 2.25m, 2.25m), await view.UsageAsync(id, 1, Now, ct));
        Assert.Equal(1, _reads); // all of it served from memory
    }

    [Fact]
    public async Task TheNextDay_TheDailyWindowReadsEmpty_AndACommitStartsItAtThatMidnight()
    {
        var (view, id, _) = await StartAsync(dailyUsed: 2m);
        var ct = TestContext.Current.CancellationToken;
        await view.UsageAsync(id, 1, Now, ct);
        _time.Advance(TimeSpan.FromHours(20)); // 05:00 the next day; the stored copy is older than a minute now
        var tomorrow = await view.UsageAsync(id, 1, Now, ct);
        Assert.Equal(new SubscriptionUsage(0m, 2m, 2m), tomorrow);

        view.Hold(id, 1, 0.5m);
        view.Settle(id, 1, 0.5m, charged: true, Now);
        Assert.Equal(new SubscriptionUsage(0.5m, 2.5m, 2.5m), await view.UsageAsync(id, 1, Now, ct));
    }

    [Fact]
    public async Task AnAdminChange_OrAnotherNodesCommit_ReloadsTheStoredWindows()
    {
        var (view, id, generation) = await StartAsync(dailyUsed: 2m);
        var ct = TestContext.Current.CancellationToken;
        await view.UsageAsync(id, 1, Now, ct);
        generation.Bump(ConfigScope.Callers);
        await view.UsageAsync(id, 1, Now, ct);
        Assert.Equal(2, _reads);
        view.InvalidateUser(1);
        await view.UsageAsync(id, 1, Now, ct);
        Assert.Equal(3, _reads);
        view.InvalidateUser(99); // someone else's commit
        await view.UsageAsync(id, 1, Now, ct);
        Assert.Equal(3, _reads);
    }
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Subscriptions;

/// <summary>What counts against a subscription's caps at a moment: the usage of each current window.</summary>
internal readonly record struct SubscriptionUsage(decimal Daily, decimal Weekly, decimal Monthly);

/// <summary>
/// The subscription usage the relay admits requests against, without a database read per request — the
/// subscription counterpart of <see cref="Billing.BalanceView"/>: the stored windows (cached; reloaded when the
/// configuration generation moves, after a minute, or when another node commits charges for the user) plus the
/// charges recorded but not yet committed. Committed charges are applied to the cached windows by the same rule
/// the usage writer's UPDATE applies in the database (<see cref="SubscriptionWindows.Charge"/>), so a busy user
/// costs no reload per batch.
/// </summary>
internal sealed class SubscriptionUsageView(IDbContextFactory<Sub2ApiDbContext> dbFactory, ConfigGeneration generation,
    SubscriptionClock clock, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<long, byte>> _byUser = new();

    public async ValueTask<SubscriptionUsage> UsageAsync(long subscriptionId, long userId, DateTime now, CancellationToken cancellationToken)
    {
        var entry = EntryFor(subscriptionId, userId);
        long commitsBefore;
        lock (entry)
        {
            if (entry.Loaded && entry.Generation == generation.Callers && time.GetUtcNow() - entry.LoadedAt < MaxAge)
            {
                return entry.At(now);
            }
            commitsBefore = entry.Commits;
        }
        var currentGeneration = generation.Callers;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.UserSubscriptions.AsNoTracking().IgnoreQueryFilters().Where(s => s.Id == subscriptionId)
            .Select(s => new { s.DailyUsageUsd, s.DailyWindowStart, s.WeeklyUsageUsd, s.WeeklyWindowStart, s.MonthlyUsageUsd, s.MonthlyWindowStart })
            .FirstOrDefaultAsync(cancellationToken);
        lock (entry)
        {
            // A commit that landed while we were reading may or may not be in the row: only take the read when none raced it.
            if (entry.Commits == commitsBefore)
            {
                entry.Daily = new(row?.DailyUsageUsd ?? 0m, row?.DailyWindowStart);
                entry.Weekly = new(row?.WeeklyUsageUsd ?? 0m, row?.WeeklyWindowStart);
                entry.Monthly = new(row?.MonthlyUsageUsd ?? 0m, row?.MonthlyWindowStart);
                entry.Loaded = true;
                entry.Generation = currentGeneration;
                entry.LoadedAt = time.GetUtcNow();
            }
            return entry.At(now);
        }
    }

    /// <summary>A charge recorded (journaled, queued) but not yet in the database: it counts at once.</summary>
    public void Hold(long subscriptionId, long userId, decimal amount)
    {
        var entry = EntryFor(subscriptionId, userId);
        lock (entry)
        {
            entry.Pending += amount;
        }
    }

    /// <summary>The charge reached the database (<paramref name="charged"/>) or was a duplicate (not charged).</summary>
    public void Settle(long subscriptionId, long userId, decimal amount, bool charged, DateTime at)
    {
        var entry = EntryFor(subscriptionId, userId);
        lock (entry)
        {
            entry.Pending -= amount;
            if (charged && entry.Loaded)
            {
                var startOfDay = clock.StartOfDay(at);
                entry.Daily = entry.Daily.Charge(SubscriptionWindows.Daily, amount, at, startOfDay);
                entry.Weekly = entry.Weekly.Charge(SubscriptionWindows.Weekly, amount, at, startOfDay);
                entry.Monthly = entry.Monthly.Charge(SubscriptionWindows.Monthly, amount, at, startOfDay);
            }
            entry.Commits++;
        }
    }

    /// <summary>Another node committed charges for this user: reload their subscriptions on next use.</summary>
    public void InvalidateUser(long userId)
    {
        if (!_byUser.TryGetValue(userId, out var subscriptions))
        {
            return;
        }
        foreach (var subscriptionId in subscriptions.Keys)
        {
            if (_entries.TryGetValue(subscriptionId, out var entry))
            {
                lock (entry)
                {
                    entry.Loaded = false;
                    entry.Commits++;
                }
            }
        }
    }

    private Entry EntryFor(long subscriptionId, long userId)
    {
        if (_entries.TryGetValue(subscriptionId, out var entry))
        {
            return entry;
        }
        _byUser.GetOrAdd(userId, _ => new()).TryAdd(subscriptionId, 0);
        return _entries.GetOrAdd(subscriptionId, _ => new Entry());
    }

    private readonly record struct Window(decimal Used, DateTime? Start)
    {
        public decimal At(TimeSpan period, DateTime now) => SubscriptionWindows.Effective(Used, Start, period, now);

        public Window Charge(TimeSpan period, decimal amount, DateTime at, DateTime startOfDay)
        {
            var (used, start) = SubscriptionWindows.Charge(Used, Start, period, amount, at, startOfDay);
            return new Window(used, start);
        }
    }

    private sealed class Entry
    {
        public Window Daily;
        public Window Weekly;
        public Window Monthly;
        public bool Loaded;
        public decimal Pending;
        public long Generation = -1;
        public DateTimeOffset LoadedAt;
        public long Commits;

        /// <summary>Pending charges were recorded just now, so they count in every current window.</summary>
        public SubscriptionUsage At(DateTime now) => new(
            Daily.At(SubscriptionWindows.Daily, now) + Pending,
            Weekly.At(SubscriptionWindows.Weekly, now) + Pending,
            Monthly.At(SubscriptionWindows.Monthly, now) + Pending);
    }
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Billing;

/// <summary>
/// The balance the relay admits requests against, without a database read per request: the stored balance
/// (cached; reloaded when the configuration generation moves — e.g. an admin top-up — or after a minute)
/// minus charges already recorded but not yet committed. Charges are applied here the moment a request is
/// recorded, so the next request of the same user already sees them.
/// </summary>
internal sealed class BalanceView(IDbContextFactory<Sub2ApiDbContext> dbFactory, ConfigGeneration generation, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    public async ValueTask<decimal> AvailableAsync(long userId, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(userId, _ => new Entry());
        long commitsBefore;
        lock (entry)
        {
            if (entry.Stored is { } stored && entry.Generation == generation.Callers && time.GetUtcNow() - entry.LoadedAt < MaxAge)
            {
                return stored - entry.Pending;
            }
            commitsBefore = entry.Commits;
        }
        var currentGeneration = generation.Callers;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var balance = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Balance).FirstOrDefaultAsync(cancellationToken);
        lock (entry)
        {
            // A commit that landed while we were reading is already in `balance` or will be counted twice: only
            // take the read when no commit raced it.
            if (entry.Commits == commitsBefore)
            {
                entry.Stored = balance;
                entry.Generation = currentGeneration;
                entry.LoadedAt = time.GetUtcNow();
            }
            return (entry.Stored ?? balance) - entry.Pending;
        }
    }

    /// <summary>A charge recorded (journaled, queued) but not yet in the database.</summary>
    public void Hold(long userId, decimal amount)
    {
        var entry = _entries.GetOrAdd(userId, _ => new Entry());
        lock (entry)
        {
            entry.Pending += amount;
        }
    }

    /// <summary>The charge reached the database (<paramref name="charged"/>) or was a duplicate (not charged).</summary>
    public void Settle(long userId, decimal amount, bool charged)
    {
        var entry = _entries.GetOrAdd(userId, _ => new Entry());
        lock (entry)
        {
            entry.Pending -= amount;
            if (charged && entry.Stored is not null)
            {
                entry.Stored -= amount;
            }
            entry.Commits++;
        }
    }

    /// <summary>Drops the cached stored balance (another node committed charges for this user).</summary>
    public void Invalidate(long userId)
    {
        if (_entries.TryGetValue(userId, out var entry))
        {
            lock (entry)
            {
                entry.Stored = null;
                entry.Commits++;
            }
        }
    }

    /// <summary>Raised after charges for these users reached the database, so a cluster bus can tell the other nodes.</summary>
    public event Action<IReadOnlyCollection<long>>? Committed;

    internal void RaiseCommitted(IReadOnlyCollection<long> userIds) => Committed?.Invoke(userIds);

    private sealed class Entry
    {
        public decimal? Stored;
        public decimal Pending;
        public long Generation = -1;
        public DateTimeOffset LoadedAt;
        public long Commits;
    }
}

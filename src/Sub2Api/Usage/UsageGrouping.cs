using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;

namespace Sub2Api.Usage;

/// <summary>The usage totals of one group of rows (one day, one model, one user in one hour…).</summary>
internal sealed class UsageSums<TKey>
{
    public required TKey Key { get; init; }
    public long Requests { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public decimal Cost { get; init; }
    public decimal ActualCost { get; init; }

    /// <summary>Input, output and both cache kinds, as the original counts tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;

    /// <summary>The same sums under another key (e.g. a day and an hour folded into the hour's start).</summary>
    public UsageSums<TOther> WithKey<TOther>(TOther key) => new()
    {
        Key = key,
        Requests = Requests,
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        CacheCreationTokens = CacheCreationTokens,
        CacheReadTokens = CacheReadTokens,
        Cost = Cost,
        ActualCost = ActualCost,
    };
}

/// <summary>
/// Grouped sums over usage_logs, computed by the database on both providers: the key may be a column, a UTC day
/// (<c>CreatedAt.Date</c>), an hour of the day (<c>CreatedAt.Hour</c>) or an anonymous object of those. Decimal sums
/// stay exact (see <see cref="UsageQueries.StatsAsync"/>). Ordering by a decimal sum does not translate on SQLite,
/// so callers order the (already grouped, small) result in memory.
/// </summary>
internal static class UsageGrouping
{
    public static Task<List<UsageSums<TKey>>> SumByAsync<TKey>(this IQueryable<UsageLog> query,
        Expression<Func<UsageLog, TKey>> key, CancellationToken cancellationToken) =>
        query.GroupBy(key)
            .Select(g => new UsageSums<TKey>
            {
                Key = g.Key,
                Requests = g.LongCount(),
                InputTokens = g.Sum(u => u.InputTokens),
                OutputTokens = g.Sum(u => u.OutputTokens),
                CacheCreationTokens = g.Sum(u => u.CacheCreationTokens),
                CacheReadTokens = g.Sum(u => u.CacheReadTokens),
                Cost = g.Sum(u => u.TotalCost),
                ActualCost = g.Sum(u => u.ActualCost),
            })
            .ToListAsync(cancellationToken);
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;

namespace Sub2Api.Usage;

/// <summary>Provider-neutral LINQ over usage_logs, shared by the user, admin and dashboard routes.</summary>
internal static class UsageQueries
{
    public static IQueryable<UsageLog> Filter(this IQueryable<UsageLog> query, UsageFilter filter)
    {
        if (filter.UserId is { } userId)
        {
            query = query.Where(u => u.UserId == userId);
        }
        if (filter.ApiKeyId is { } apiKeyId)
        {
            query = query.Where(u => u.ApiKeyId == apiKeyId);
        }
        if (filter.AccountId is { } accountId)
        {
            query = query.Where(u => u.AccountId == accountId);
        }
        if (filter.GroupId is { } groupId)
        {
            query = query.Where(u => u.GroupId == groupId);
        }
        if (filter.Model is { } model)
        {
            query = query.Where(u => u.Model == model);
        }
        if (filter.Stream is { } stream)
        {
            query = query.Where(u => u.Stream == stream);
        }
        if (filter.BillingType is { } billingType)
        {
            query = query.Where(u => u.BillingType == billingType);
        }
        if (filter.From is { } from)
        {
            query = query.Where(u => u.CreatedAt >= from);
        }
        if (filter.Until is { } until)
        {
            query = query.Where(u => u.CreatedAt < until);
        }
        return query;
    }

    public static IOrderedQueryable<UsageLog> NewestFirst(this IQueryable<UsageLog> query) =>
        query.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id);

    /// <summary>
    /// One aggregate query. Decimal sums stay exact on both providers: PostgreSQL sums numeric natively, and
    /// EF Core's SQLite provider (9.0+) translates a decimal Sum to its <c>ef_sum</c> function, which adds
    /// System.Decimal values in .NET rather than SQLite's floating-point SUM.
    /// </summary>
    public static async Task<UsageStats> StatsAsync(this IQueryable<UsageLog> query, CancellationToken cancellationToken)
    {
        var row = await query
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Requests = g.LongCount(),
                Input = g.Sum(u => u.InputTokens),
                Output = g.Sum(u => u.OutputTokens),
                CacheCreation = g.Sum(u => u.CacheCreationTokens),
                CacheRead = g.Sum(u => u.CacheReadTokens),
                Cost = g.Sum(u => u.TotalCost),
                ActualCost = g.Sum(u => u.ActualCost),
                AverageDuration = g.Average(u => (double?)u.DurationMs),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return UsageStats.Empty;
        }
        var cache = row.CacheCreation + row.CacheRead;
        return new UsageStats(row.Requests, row.Input, row.Output, row.CacheCreation, row.CacheRead, cache,
            row.Input + row.Output + cache, row.Cost, row.ActualCost, Math.Round(row.AverageDuration ?? 0d, 2));
    }
}

using System.Globalization;
using Sub2Api.Data.Entities;

namespace Sub2Api.Usage;

/// <summary>One bucket of a usage trend: a UTC day ("YYYY-MM-DD") or hour ("YYYY-MM-DD HH:00").</summary>
internal sealed record UsageTrendPoint(
    string Date, long Requests, long InputTokens, long OutputTokens, long CacheCreationTokens, long CacheReadTokens,
    long TotalTokens, decimal Cost, decimal ActualCost);

/// <summary>Usage of one model over a filtered set of rows.</summary>
internal sealed record UsageModelStat(
    string Model, long Requests, long InputTokens, long OutputTokens, long TotalTokens, decimal Cost, decimal ActualCost);

/// <summary>
/// Trend and per-model aggregates over already-filtered usage rows (a user's own dashboard), grouped by the
/// database through <see cref="UsageGrouping.SumByAsync"/>.
/// </summary>
internal static class UsageTrendQueries
{
    public const string Day = "day";
    public const string Hour = "hour";

    public static async Task<List<UsageTrendPoint>> TrendAsync(this IQueryable<UsageLog> query, string granularity, CancellationToken ct)
    {
        var byHour = granularity == Hour;
        // Two shapes rather than one key with a constant hour: PostgreSQL reads a constant in GROUP BY as a
        // column position.
        var buckets = byHour
            ? (await query.SumByAsync(u => new { u.CreatedAt.Date, u.CreatedAt.Hour }, ct)).Select(s => s.WithKey(s.Key.Date.AddHours(s.Key.Hour)))
            : await query.SumByAsync(u => u.CreatedAt.Date, ct);
        return buckets
            .OrderBy(b => b.Key)
            .Select(b => new UsageTrendPoint(
                Label(b.Key, byHour), b.Requests, b.InputTokens, b.OutputTokens, b.CacheCreationTokens, b.CacheReadTokens,
                b.TotalTokens, b.Cost, b.ActualCost))
            .ToList();
    }

    public static async Task<List<UsageModelStat>> ModelsAsync(this IQueryable<UsageLog> query, CancellationToken ct) =>
        (await query.SumByAsync(u => u.Model, ct))
            .Select(m => new UsageModelStat(m.Key, m.Requests, m.InputTokens, m.OutputTokens, m.TotalTokens, m.Cost, m.ActualCost))
            .OrderByDescending(m => m.TotalTokens).ThenByDescending(m => m.Requests).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();

    private static string Label(DateTime start, bool byHour) => start.ToString(byHour ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

namespace Sub2Api.Ops.Dashboard;

/// <summary>Percentiles and the histogram of a set of durations (milliseconds).</summary>
internal static class OpsLatency
{
    /// <summary>
    /// How many of a window's newest durations are ranked. Percentiles need every value, which neither database
    /// computes portably, so the newest this many are fetched (one int column) and ranked in memory.
    /// </summary>
    public const int SampleCap = 50_000;

    /// <summary>Upper bounds of the histogram bars; a last bar without bound takes the rest.</summary>
    public static readonly IReadOnlyList<int> BucketBounds = [100, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000];

    /// <summary>
    /// The nearest-rank percentile: the smallest value with at least <paramref name="percent"/> % of the values at or
    /// below it (so it is always a duration that happened). Null for no values. <paramref name="sorted"/> is ascending.
    /// </summary>
    public static int? Percentile(IReadOnlyList<int> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return null;
        }
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>Counts per bar: each value lands in the first bar whose bound it does not exceed.</summary>
    public static IReadOnlyList<OpsLatencyBucket> Histogram(IReadOnlyList<int> values)
    {
        var counts = new long[BucketBounds.Count + 1];
        foreach (var value in values)
        {
            var index = 0;
            while (index < BucketBounds.Count && value > BucketBounds[index])
            {
                index++;
            }
            counts[index]++;
        }
        return [.. counts.Select((count, i) => new OpsLatencyBucket(i < BucketBounds.Count ? BucketBounds[i] : null, count))];
    }
}

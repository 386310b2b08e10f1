using System.Text.Json;

namespace Sub2Api.BenchTool;

internal static class Stats
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>Nearest-rank percentile of an unsorted sample (sorts a copy), in the sample's unit.</summary>
    public static double Percentile(IReadOnlyList<double> sample, double quantile)
    {
        if (sample.Count == 0)
        {
            return double.NaN;
        }
        var sorted = sample.Order().ToArray();
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Mean(IReadOnlyList<double> sample) => sample.Count == 0 ? double.NaN : sample.Average();

    public static double Round(double value, int digits = 3) => double.IsNaN(value) ? -1 : Math.Round(value, digits);

    public static void PrintJson(object result) => Console.Out.WriteLine(JsonSerializer.Serialize(result, Options));

    public static double ElapsedMs(long startTimestamp) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}

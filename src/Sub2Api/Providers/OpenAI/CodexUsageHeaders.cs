using System.Globalization;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// Reads the ChatGPT backend's usage headers: x-codex-{primary,secondary}-used-percent, -reset-after-seconds and
/// -window-minutes, and x-codex-primary-over-secondary-limit-percent. Pure: the caller passes a header lookup and
/// the clock.
/// </summary>
internal static class CodexUsageHeaders
{
    private const string Prefix = "x-codex-";

    // A window up to a day long is the short (5-hour) one; anything longer is the weekly one.
    private const int ShortWindowMaxMinutes = 24 * 60;

    /// <summary>
    /// The snapshot, or null when no window is reported. The windows are sorted BY LENGTH, not by name: "primary"
    /// is the 5-hour window on most plans, but some plans report only a weekly window, as primary. With both lengths
    /// known the shorter is the 5-hour window; with one known it decides its own slot (≤ 1 day → 5 h) and the other
    /// takes the remaining one; with none known primary is 5 h and secondary 7 d, the backend's usual order.
    /// </summary>
    public static CodexUsageSnapshot? Parse(Func<string, string?> header, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(header);
        var primary = ReadWindow(header, "primary", utcNow);
        var secondary = ReadWindow(header, "secondary", utcNow);
        if (primary is null && secondary is null)
        {
            return null;
        }
        var (fiveHour, sevenDay) = Sort(primary, secondary);
        return new CodexUsageSnapshot(fiveHour, sevenDay, ReadDouble(header(Prefix + "primary-over-secondary-limit-percent")), utcNow);
    }

    private static (CodexUsageWindow? FiveHour, CodexUsageWindow? SevenDay) Sort(CodexUsageWindow? primary, CodexUsageWindow? secondary)
    {
        var primaryMinutes = primary?.WindowMinutes;
        var secondaryMinutes = secondary?.WindowMinutes;
        if (primaryMinutes is { } p && secondaryMinutes is { } s)
        {
            return p <= s ? (primary, secondary) : (secondary, primary);
        }
        if (primaryMinutes is { } onlyPrimary)
        {
            return IsShort(onlyPrimary) ? (primary, secondary) : (secondary, primary);
        }
        if (secondaryMinutes is { } onlySecondary)
        {
            return IsShort(onlySecondary) ? (secondary, primary) : (primary, secondary);
        }
        return (primary, secondary);
    }

    private static bool IsShort(int minutes) => minutes <= ShortWindowMaxMinutes;

    private static CodexUsageWindow? ReadWindow(Func<string, string?> header, string name, DateTime utcNow)
    {
        if (ReadDouble(header(Prefix + name + "-used-percent")) is not { } used)
        {
            return null;
        }
        DateTime? reset = null;
        // Bounded so a garbage value cannot overflow DateTime (ten years is far beyond any window).
        if (ReadDouble(header(Prefix + name + "-reset-after-seconds")) is { } seconds and >= 0 and < 315_360_000)
        {
            reset = utcNow.AddSeconds(seconds);
        }
        int? minutes = int.TryParse(header(Prefix + name + "-window-minutes")?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m)
            && m > 0 ? m : null;
        return new CodexUsageWindow(used, reset, minutes);
    }

    private static double? ReadDouble(string? value) =>
        double.TryParse(value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;
}

using System.Globalization;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// How long a marked Anthropic account stays benched (SPEC §4.5 "429 reset time", rules 2, 3 and 5) and how the
/// 5-hour session window moves (SPEC §4.6). Pure: the caller passes a header lookup and the clock.
/// </summary>
internal static class AnthropicRateLimit
{
    private const string Prefix = "anthropic-ratelimit-unified-";
    private const string StatusHeader = Prefix + "5h-status";
    private const string RejectedStatus = "rejected";
    private static readonly TimeSpan FiveHours = TimeSpan.FromHours(5);
    private static readonly TimeSpan DefaultFallback = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Both windows exceeded → 7d reset (5h if 7d is unknown); one exceeded → that one; neither → the sooner of
    /// the two; per-window resets unusable → the aggregate <c>anthropic-ratelimit-unified-reset</c>; nothing
    /// usable → now + <paramref name="fallback"/> (5 minutes). The session window [reset5h − 5h, reset5h]
    /// ("rejected") comes from the 5h reset, else from the aggregate reset when that was used.
    /// </summary>
    public static (DateTime ResetAt, SessionWindow? Window) ResetFrom429(
        Func<string, string?> header, DateTime utcNow, TimeSpan? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var reset5h = ReadUnix(header(Prefix + "5h-reset"));
        var reset7d = ReadUnix(header(Prefix + "7d-reset"));
        var exceeded5h = IsExceeded(header, "5h");
        var exceeded7d = IsExceeded(header, "7d");

        var chosen = (exceeded5h, exceeded7d) switch
        {
            (true, true) => reset7d ?? reset5h,
            (true, false) => reset5h,
            (false, true) => reset7d,
            _ => Sooner(reset5h, reset7d),
        };

        if (chosen is { } perWindow)
        {
            return (perWindow, reset5h is { } end ? Rejected(end) : null);
        }

        if (ReadUnix(header(Prefix + "reset")) is { } aggregate)
        {
            return (aggregate, Rejected(reset5h ?? aggregate));
        }

        return (utcNow + (fallback ?? DefaultFallback), reset5h is { } known ? Rejected(known) : null);
    }

    /// <summary>
    /// On a success: when the current window is absent or over and the status is allowed/allowed_warning, a
    /// new window [now floored to the hour, +5h] is predicted (the upstream does not say when it started);
    /// otherwise the current window keeps its bounds and takes the new status. Null when the header is absent,
    /// or when there is no window to carry a "rejected" status.
    /// </summary>
    public static SessionWindow? UpdateWindow(Func<string, string?> header, DateTime utcNow, SessionWindow? current)
    {
        ArgumentNullException.ThrowIfNull(header);
        var status = header(StatusHeader)?.Trim();
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }

        var needsNewWindow = current is null || utcNow > current.Value.End;
        if (needsNewWindow && status is "allowed" or "allowed_warning")
        {
            var start = new DateTime(utcNow.Ticks - (utcNow.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);
            return new SessionWindow(start, start + FiveHours, status);
        }

        return current is { } window ? window with { Status = status } : null;
    }

    /// <summary>A success saying "allowed" means the window reset: an active rate limit can be cleared.</summary>
    public static bool SignalsRecovery(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return string.Equals(header(StatusHeader)?.Trim(), "allowed", StringComparison.Ordinal);
    }

    private static SessionWindow Rejected(DateTime end) => new(end - FiveHours, end, RejectedStatus);

    /// <summary>A window counts as exceeded when surpassed-threshold is "true" or utilization ≥ 1.0.</summary>
    private static bool IsExceeded(Func<string, string?> header, string window)
    {
        if (string.Equals(header(Prefix + window + "-surpassed-threshold")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The epsilon treats 0.9999999999 as full, as the Go code does.
        return double.TryParse(header(Prefix + window + "-utilization"), NumberStyles.Float, CultureInfo.InvariantCulture, out var utilization)
            && utilization >= 1.0 - 1e-9;
    }

    private static DateTime? ReadUnix(string? value)
    {
        if (!long.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            return null;
        }

        // Seconds are ~1e9 today; anything above 1e11 is a millisecond timestamp from a misbehaving relay.
        if (seconds > 100_000_000_000)
        {
            seconds /= 1000;
        }

        return seconds <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime : null;
    }

    private static DateTime? Sooner(DateTime? a, DateTime? b) => (a, b) switch
    {
        ({ } x, { } y) => x < y ? x : y,
        _ => a ?? b,
    };
}

using System.Globalization;
using SessionWindow = Sub2Api.Scheduling.SessionWindow;

namespace Sub2Api.Providers.OpenAI;

/// <summary>A ChatGPT account's usage as of one answer's x-codex headers, already sorted into the 5-hour and
/// 7-day windows (see <see cref="CodexUsageHeaders"/>).</summary>
/// <param name="PrimaryOverSecondaryLimitPercent">x-codex-primary-over-secondary-limit-percent, as sent.</param>
/// <param name="UpdatedAt">When the headers were read (UTC).</param>
internal sealed record CodexUsageSnapshot(
    CodexUsageWindow? FiveHour,
    CodexUsageWindow? SevenDay,
    double? PrimaryOverSecondaryLimitPercent,
    DateTime UpdatedAt)
{
    private static readonly TimeSpan FiveHours = TimeSpan.FromHours(5);

    /// <summary>
    /// The 5-hour window as the account's session window: [reset − window length, reset], "rejected" when it is
    /// full, else "allowed". Null without a 5-hour window or its reset time.
    /// </summary>
    public SessionWindow? ToSessionWindow()
    {
        if (FiveHour is not { ResetAt: { } end } window)
        {
            return null;
        }
        var length = window.WindowMinutes is { } minutes and > 0 ? TimeSpan.FromMinutes(minutes) : FiveHours;
        return new SessionWindow(end - length, end, window.IsExhausted ? "rejected" : "allowed");
    }

    /// <summary>
    /// The snapshot as entries of the account's <c>extra</c> JSON, under the original's key names:
    /// codex_5h_used_percent, codex_5h_reset_at, codex_5h_window_minutes (and the same for 7d),
    /// codex_primary_over_secondary_percent and codex_usage_updated_at. Percentages are numbers, times RFC 3339
    /// UTC strings; a value that was not sent is left out (so merging keeps the last known one).
    /// </summary>
    public IReadOnlyDictionary<string, object> ToExtra()
    {
        var extra = new Dictionary<string, object>(StringComparer.Ordinal);
        Add(extra, "codex_5h", FiveHour);
        Add(extra, "codex_7d", SevenDay);
        if (PrimaryOverSecondaryLimitPercent is { } over)
        {
            extra["codex_primary_over_secondary_percent"] = over;
        }
        extra["codex_usage_updated_at"] = Rfc3339(UpdatedAt);
        return extra;
    }

    private static void Add(Dictionary<string, object> extra, string prefix, CodexUsageWindow? window)
    {
        if (window is not { } value)
        {
            return;
        }
        extra[prefix + "_used_percent"] = value.UsedPercent;
        if (value.ResetAt is { } reset)
        {
            extra[prefix + "_reset_at"] = Rfc3339(reset);
        }
        if (value.WindowMinutes is { } minutes)
        {
            extra[prefix + "_window_minutes"] = minutes;
        }
    }

    private static string Rfc3339(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

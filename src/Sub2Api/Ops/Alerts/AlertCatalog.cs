using System.Globalization;

namespace Sub2Api.Ops.Alerts;

/// <summary>The metric types, comparison operators, severities and event statuses an alert rule may use.</summary>
internal static class AlertCatalog
{
    public const string SuccessRate = "success_rate";
    public const string ErrorRate = "error_rate";
    public const string UpstreamErrorRate = "upstream_error_rate";
    public const string ConcurrencyQueueDepth = "concurrency_queue_depth";
    public const string GroupAvailableAccounts = "group_available_accounts";
    public const string GroupAvailableRatio = "group_available_ratio";
    public const string AccountRateLimitedCount = "account_rate_limited_count";
    public const string AccountErrorCount = "account_error_count";

    public static readonly string[] MetricTypes =
    [
        SuccessRate, ErrorRate, UpstreamErrorRate, ConcurrencyQueueDepth, GroupAvailableAccounts, GroupAvailableRatio,
        AccountRateLimitedCount, AccountErrorCount,
    ];

    /// <summary>Metrics about one group's pool: meaningless without a <c>group_id</c> filter.</summary>
    public static bool NeedsGroup(string metricType) => metricType is GroupAvailableAccounts or GroupAvailableRatio;

    public static readonly string[] Operators = [">", ">=", "<", "<=", "==", "!="];

    /// <summary>P0 is the most severe.</summary>
    public static readonly string[] Severities = ["P0", "P1", "P2", "P3"];

    public const string Firing = "firing";
    public const string Resolved = "resolved";
    public const string ManualResolved = "manual_resolved";
    public static readonly string[] EventStatuses = [Firing, Resolved, ManualResolved];

    /// <summary>
    /// Whether <paramref name="value"/> stands in <paramref name="op"/> to <paramref name="threshold"/>. Equality
    /// allows a tiny tolerance: rates are computed as quotients, so 2/3*100 must equal a threshold of 66.6666666667.
    /// </summary>
    public static bool Compare(string op, double value, double threshold)
    {
        const double Epsilon = 1e-9;
        var equal = Math.Abs(value - threshold) <= Epsilon * Math.Max(1, Math.Abs(threshold));
        return op switch
        {
            ">" => value > threshold && !equal,
            ">=" => value > threshold || equal,
            "<" => value < threshold && !equal,
            "<=" => value < threshold || equal,
            "==" => equal,
            "!=" => !equal,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
        };
    }

    /// <summary>0 for P0 … 3 for P3; unknown severities rank as the mildest.</summary>
    public static int Rank(string severity) => Array.IndexOf(Severities, severity) is var i and >= 0 ? i : Severities.Length;

    /// <summary>Whether <paramref name="severity"/> is at least as severe as <paramref name="minimum"/>.</summary>
    public static bool AtLeast(string severity, string minimum) => Rank(severity) <= Rank(minimum);

    public static string Format(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);
}

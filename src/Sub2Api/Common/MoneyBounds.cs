namespace Sub2Api.Common;

/// <summary>
/// The bounds of every money value and multiplier the management API accepts. Money columns are
/// numeric(24,12): 12 integer and 12 fractional digits, so a larger value fails in PostgreSQL and, once added to,
/// overflows System.Decimal in SQLite's decimal functions. Values are refused, never rounded: silently changing
/// an amount of money is worse than asking the client to send it again.
/// </summary>
internal static class MoneyBounds
{
    /// <summary>The largest balance, amount, quota, limit or price (12 integer digits).</summary>
    public const decimal MaxAmount = 999_999_999_999m;

    /// <summary>
    /// The largest rate multiplier. Costs are multiplied by it and stored in the same money columns, so it is
    /// bounded far below <see cref="MaxAmount"/>: even a $100 request at this rate stays storable.
    /// </summary>
    public const decimal MaxMultiplier = 10_000m;

    /// <summary>The storage scale: more fractional digits than this would be rounded by the database.</summary>
    public const int MaxFractionDigits = 12;

    /// <summary>A money value: 0 to <see cref="MaxAmount"/>, at most 12 decimal places. Null means "not sent".</summary>
    public static string? Amount(decimal? value, string field) => Check(value, field, MaxAmount);

    /// <summary>A rate multiplier: 0 to <see cref="MaxMultiplier"/>, at most 12 decimal places.</summary>
    public static string? Multiplier(decimal? value, string field) => Check(value, field, MaxMultiplier);

    /// <summary>An amount that must also be above zero (a balance adjustment, for example).</summary>
    public static string? PositiveAmount(decimal? value, string field) =>
        value is <= 0 ? $"{field} must be greater than 0" : Amount(value, field);

    private static string? Check(decimal? value, string field, decimal max) =>
        value switch
        {
            null => null,
            < 0 => $"{field} must not be negative",
            { } v when v > max => $"{field} must be at most {max}",
            { } v when decimal.Round(v, MaxFractionDigits) != v => $"{field} must have at most {MaxFractionDigits} decimal places",
            _ => null,
        };
}

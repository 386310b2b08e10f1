namespace Sub2Api.Billing;

/// <summary>USD cost of one request, per component; <see cref="ActualCost"/> is after the rate multiplier.</summary>
internal readonly record struct CostBreakdown(
    decimal InputCost,
    decimal OutputCost,
    decimal CacheCreationCost,
    decimal CacheReadCost,
    decimal TotalCost,
    decimal ActualCost);

/// <summary>SPEC §5.2 cost formula, in decimal throughout so balances never drift.</summary>
internal static class CostCalculator
{
    private const int Decimals = 12;

    /// <summary>
    /// Each component is rounded to 12 decimal places (away from zero); TotalCost is the sum of the rounded
    /// components; ActualCost = Round(TotalCost × multiplier, 12), a multiplier ≤ 0 counting as 1.
    /// Token counts below zero count as zero: a bad upstream report must not credit the caller.
    /// </summary>
    public static CostBreakdown Calculate(ModelPrice price, TokenUsage usage, decimal multiplier)
    {
        ArgumentNullException.ThrowIfNull(price);
        var input = Round(Tokens(usage.InputTokens) * price.InputPerToken);
        var output = Round(Tokens(usage.OutputTokens) * price.OutputPerToken);
        var cacheCreation = Round(CacheCreation(price, usage));
        var cacheRead = Round(Tokens(usage.CacheReadTokens) * price.CacheReadPerToken);
        var total = input + output + cacheCreation + cacheRead;
        var actual = Round(total * (multiplier <= 0 ? 1 : multiplier));
        return new CostBreakdown(input, output, cacheCreation, cacheRead, total, actual);
    }

    private static decimal CacheCreation(ModelPrice price, TokenUsage usage)
    {
        var total = Tokens(usage.CacheCreationTokens);
        if (!price.SupportsCacheBreakdown)
        {
            return total * price.CacheCreationPerToken;
        }
        var fiveMinutes = Tokens(usage.CacheCreation5mTokens);
        var oneHour = Tokens(usage.CacheCreation1hTokens);
        // Upstream did not report the split: bill everything at the 5m price (the Anthropic default TTL).
        return fiveMinutes == 0 && oneHour == 0 && total > 0
            ? total * price.CacheCreationPerToken
            : (fiveMinutes * price.CacheCreationPerToken) + (oneHour * price.CacheCreation1hPerToken);
    }

    private static decimal Tokens(long count) => Math.Max(0, count);

    private static decimal Round(decimal value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);
}

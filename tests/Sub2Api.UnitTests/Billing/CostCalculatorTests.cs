using System.Globalization;
using Sub2Api.Billing;

namespace Sub2Api.UnitTests.Billing;

public sealed class CostCalculatorTests
{
    // claude-sonnet-4-5 in the built-in table: 5m write 3.75e-6, 1h write 6e-6 -> split billing.
    private static readonly ModelPrice Sonnet45 = new(0.000003m, 0.000015m, 0.00000375m, 0.000006m, 0.0000003m, null);
    // A price without a 1h tier (e.g. the hard-coded fallbacks).
    private static readonly ModelPrice NoSplit = new(0.000003m, 0.000015m, 0.00000375m, 0m, 0.0000003m, null);

    private static decimal D(string value) => decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Theory]
    // input, output, cacheCreation, cacheRead, cc5m, cc1h, multiplier -> input, output, cacheCreate, cacheRead, total, actual
    [InlineData(1234, 0, 0, 0, 0, 0, "1", "0.003702", "0", "0", "0", "0.003702", "0.003702")]
    [InlineData(1000, 500, 2000, 10000, 1500, 500, "1.5", "0.003", "0.0075", "0.008625", "0.003", "0.022125", "0.0331875")]
    // Split missing: all cache writes at the 5m price.
    [InlineData(0, 0, 2000, 0, 0, 0, "1", "0", "0", "0.0075", "0", "0.0075", "0.0075")]
    // Only 1h writes.
    [InlineData(0, 0, 1000, 0, 0, 1000, "1", "0", "0", "0.006", "0", "0.006", "0.006")]
    // Multiplier 0 and below count as 1.
    [InlineData(1000, 1000, 0, 0, 0, 0, "0", "0.003", "0.015", "0", "0", "0.018", "0.018")]
    [InlineData(1000, 1000, 0, 0, 0, 0, "-2", "0.003", "0.015", "0", "0", "0.018", "0.018")]
    [InlineData(1000, 1000, 0, 0, 0, 0, "0.5", "0.003", "0.015", "0", "0", "0.018", "0.009")]
    // Negative counts (a bad upstream report) never credit the caller.
    [InlineData(-100, 0, 0, -5, 0, 0, "1", "0", "0", "0", "0", "0", "0")]
    public void Calculate_Sonnet45_ComponentsTotalAndActual(long input, long output, long cacheCreation, long cacheRead, long cc5m, long cc1h,
        string multiplier, string inputCost, string outputCost, string cacheCreationCost, string cacheReadCost, string total, string actual)
    {
        var usage = new TokenUsage(input, output, cacheCreation, cacheRead, cc5m, cc1h);

        var cost = CostCalculator.Calculate(Sonnet45, usage, D(multiplier));

        Assert.Equal(new CostBreakdown(D(inputCost), D(outputCost), D(cacheCreationCost), D(cacheReadCost), D(total), D(actual)), cost);
    }

    [Theory]
    // Without a 1h price the split is ignored: every cache write at the cache-creation price.
    [InlineData(2000, 1000, 1000, "0.0075")]
    [InlineData(2000, 0, 0, "0.0075")]
    public void Calculate_NoOneHourPrice_IgnoresSplit(long cacheCreation, long cc5m, long cc1h, string expected)
    {
        var cost = CostCalculator.Calculate(NoSplit, new TokenUsage(0, 0, cacheCreation, 0, cc5m, cc1h), 1m);

        Assert.Equal(D(expected), cost.CacheCreationCost);
    }

    [Fact]
    public void Calculate_OneHourPriceBelowFiveMinute_NoBreakdown()
    {
        // A LiteLLM data error (1h cheaper than 5m) must not make 1h writes cheaper.
        var price = new ModelPrice(0m, 0m, 0.00001m, 0.000006m, 0m, null);
        Assert.False(price.SupportsCacheBreakdown);

        var cost = CostCalculator.Calculate(price, new TokenUsage(0, 0, 1000, 0, 0, 1000), 1m);

        Assert.Equal(0.01m, cost.CacheCreationCost);
    }

    [Theory]
    // The component rounds to 12 places away from zero; ActualCost rounds again after the multiplier.
    [InlineData("0.0000000000015", 1, "1", "0.000000000002", "0.000000000002")]
    [InlineData("0.0000000000001", 4, "1", "0", "0")]
    [InlineData("0.0000000000005", 1, "1", "0.000000000001", "0.000000000001")]
    [InlineData("0.000000000001", 1, "1.5", "0.000000000001", "0.000000000002")]
    [InlineData("0.000000000001", 1, "0.5", "0.000000000001", "0.000000000001")]
    [InlineData("0.0000033333333333", 3, "1", "0.00001", "0.00001")]
    public void Calculate_TinyAmounts_RoundedTo12Places(string inputPrice, long tokens, string multiplier, string expectedTotal, string expectedActual)
    {
        var price = new ModelPrice(D(inputPrice), 0m, 0m, 0m, 0m, null);

        var cost = CostCalculator.Calculate(price, new TokenUsage(tokens, 0, 0, 0), D(multiplier));

        Assert.Equal(D(expectedTotal), cost.InputCost);
        Assert.Equal(D(expectedTotal), cost.TotalCost);
        Assert.Equal(D(expectedActual), cost.ActualCost);
    }

    [Fact]
    public void Calculate_TotalIsSumOfRoundedComponents()
    {
        // Each part is 1.5e-12 before rounding: 4 x 2e-12 after, not round(6e-12).
        var price = new ModelPrice(0.0000000000015m, 0.0000000000015m, 0.0000000000015m, 0m, 0.0000000000015m, null);

        var cost = CostCalculator.Calculate(price, new TokenUsage(1, 1, 1, 1), 1m);

        Assert.Equal(0.000000000008m, cost.TotalCost);
        Assert.Equal(cost.InputCost + cost.OutputCost + cost.CacheCreationCost + cost.CacheReadCost, cost.TotalCost);
    }

    [Fact]
    public void Calculate_BuiltInSonnet_TenDecimalExpectation()
    {
        var price = PricingTable.LoadBuiltIn().Lookup("claude-sonnet-4-5-20250929");

        var cost = CostCalculator.Calculate(price, new TokenUsage(1234, 567, 0, 8901), 1m);

        Assert.Equal(0.003702m, cost.InputCost);
        Assert.Equal(0.008505m, cost.OutputCost);
        Assert.Equal(0.0026703m, cost.CacheReadCost);
        Assert.Equal(0.0148773m, cost.TotalCost);
        Assert.Equal("0.0148773000", cost.ActualCost.ToString("F10", CultureInfo.InvariantCulture));
    }
}

using BenchmarkDotNet.Attributes;
using Sub2Api.Billing;

namespace Sub2Api.Benchmarks;

/// <summary>Step 7 of the relay: the price of the model and the cost of one request (decimal arithmetic).</summary>
[MemoryDiagnoser]
public class BillingBenchmarks
{
    private PricingTable _table = null!;
    private ModelPrice _sonnet = null!;
    private readonly TokenUsage _usage = new(InputTokens: 2_431, OutputTokens: 812, CacheCreationTokens: 1_200,
        CacheReadTokens: 84_000, CacheCreation5mTokens: 1_000, CacheCreation1hTokens: 200);

    [GlobalSetup]
    public void Setup()
    {
        _table = PricingTable.LoadBuiltIn();
        _sonnet = _table.Lookup("claude-sonnet-4-5");
        Console.WriteLine($"// {_table.Count} priced models; claude-opus-4-8 priced by {_table.Explain("claude-opus-4-8").MatchedBy}");
    }

    [Benchmark(Description = "PricingTable.Lookup, exact name")]
    public object LookupExact() => _table.Lookup("claude-sonnet-4-5");

    [Benchmark(Description = "PricingTable.Lookup, dated name")]
    public object LookupDated() => _table.Lookup("claude-sonnet-4-5-20250929");

    [Benchmark(Description = "PricingTable.Lookup, unknown model (family fallback)")]
    public object LookupFamilyFallback() => _table.Lookup("claude-opus-4-8");

    [Benchmark(Description = "CostCalculator.Calculate")]
    public decimal Calculate() => CostCalculator.Calculate(_sonnet, _usage, 1.5m).ActualCost;

    [Benchmark(Description = "Lookup + Calculate (per request)")]
    public decimal LookupAndCalculate() => CostCalculator.Calculate(_table.Lookup("claude-sonnet-4-5-20250929"), _usage, 1m).ActualCost;
}

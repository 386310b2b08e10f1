using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sub2Api.Billing;

namespace Sub2Api.UnitTests.Billing;

public sealed class PricingTableTests(ITestOutputHelper output)
{
    private static PricingTable BuiltIn => PricingTable.LoadBuiltIn();

    private static decimal D(string value) => decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A LiteLLM-format file from (name, entry JSON) pairs.</summary>
    internal static byte[] Json(params (string Name, string Entry)[] entries) =>
        Encoding.UTF8.GetBytes("{" + string.Join(",", entries.Select(e => $"\"{e.Name}\": {e.Entry}")) + "}");

    private static string Entry(string input, string output) =>
        $"{{\"input_cost_per_token\": {input}, \"output_cost_per_token\": {output}, \"mode\": \"chat\"}}";

    [Fact]
    public void LoadBuiltIn_EmbeddedTable_HasOverThousandModelsAndIsCached()
    {
        var stopwatch = Stopwatch.StartNew();
        var table = PricingTable.LoadBuiltIn();
        output.WriteLine($"LoadBuiltIn (first call in this process, or cached): {stopwatch.Elapsed.TotalMilliseconds:F1} ms, {table.Count} models");

        Assert.True(table.Count > 1000, $"only {table.Count} models");
        Assert.Same(table, PricingTable.LoadBuiltIn());
    }

    [Fact]
    public void Parse_BuiltInBytes_LoadTimeReported()
    {
        using var stream = typeof(PricingTable).Assembly.GetManifestResourceStream(PricingTable.ResourceName)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        PricingTable.Parse(bytes); // warm-up (JIT)

        var stopwatch = Stopwatch.StartNew();
        const int runs = 10;
        for (var i = 0; i < runs; i++)
        {
            PricingTable.Parse(bytes);
        }
        output.WriteLine($"Parse of the built-in {bytes.Length / 1024} KiB file: {stopwatch.Elapsed.TotalMilliseconds / runs:F2} ms per parse (warm)");
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "0.000003", "0.000015", "0.00000375", "0.000006", "0.0000003")]
    [InlineData("claude-opus-4-6", "0.000005", "0.000025", "0.00000625", "0.00001", "0.0000005")]
    [InlineData("claude-3-haiku-20240307", "0.00000025", "0.00000125", "0.0000003", "0.000006", "0.00000003")]
    public void Parse_BuiltIn_PricesAreExactDecimals(string model, string input, string outputPrice, string cacheCreation, string cacheCreation1h, string cacheRead)
    {
        var (price, matchedBy) = BuiltIn.Explain(model);

        Assert.Equal("exact", matchedBy);
        Assert.Equal(D(input), price.InputPerToken);
        Assert.Equal(D(outputPrice), price.OutputPerToken);
        Assert.Equal(D(cacheCreation), price.CacheCreationPerToken);
        Assert.Equal(D(cacheCreation1h), price.CacheCreation1hPerToken);
        Assert.Equal(D(cacheRead), price.CacheReadPerToken);
    }

    [Fact]
    public void Parse_ClaudeSonnet45Input_IsExactly0_000003()
    {
        Assert.Equal(0.000003m, BuiltIn.Lookup("claude-sonnet-4-5").InputPerToken);
        Assert.Equal("0.000003", BuiltIn.Lookup("claude-sonnet-4-5").InputPerToken.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("3e-06", "0.000003")]
    [InlineData("1.5e-05", "0.000015")]
    [InlineData("1E-7", "0.0000001")]
    [InlineData("2.5e-07", "0.00000025")]
    [InlineData("0.0000003", "0.0000003")]
    [InlineData("0.134", "0.134")]
    [InlineData("1", "1")]
    public void Parse_NumberNotations_ExactDecimal(string jsonNumber, string expected)
    {
        var table = PricingTable.Parse(Json(("m", Entry(jsonNumber, jsonNumber))));

        Assert.Equal(D(expected), table.Lookup("m").InputPerToken);
        Assert.Equal(D(expected), table.Lookup("m").OutputPerToken);
    }

    [Fact]
    public void Parse_MixedEntries_KeepsPricedObjectsOnly()
    {
        var table = PricingTable.Parse(Json(
            ("sample_spec", Entry("0.0", "0.0")),
            ("no-prices", """{"mode": "chat", "max_tokens": 10}"""),
            ("output-only", """{"output_cost_per_token": 2e-06}"""),
            ("nested", """{"x": {"input_cost_per_token": 9}, "tiers": [1, {"a": 2}], "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "output_cost_per_image": 0.04}"""),
            ("null-price", """{"input_cost_per_token": null, "output_cost_per_token": 4e-06, "cache_read_input_token_cost": "x"}"""),
            ("Upper-Case", Entry("1e-06", "1e-06")),
            ("number", "5"),
            ("array", "[1, 2]")));

        Assert.Equal(4, table.Count);
        Assert.Equal(new ModelPrice(0m, 0.000002m, 0m, 0m, 0m, null), table.Lookup("output-only"));
        var nested = table.Lookup("nested");
        Assert.Equal(new ModelPrice(0.000001m, 0.000002m, 0m, 0m, 0m, 0.04m), nested);
        Assert.Equal(0.000004m, table.Lookup("null-price").OutputPerToken);
        Assert.Equal("exact", table.Explain("upper-case").MatchedBy);
        Assert.Equal("fallback", table.Explain("sample_spec").MatchedBy);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("")]
    [InlineData("{\"a\": ")]
    [InlineData("<html>404</html>")]
    public void Parse_NotAJsonObject_ThrowsFormatException(string text)
    {
        var e = Assert.Throws<FormatException>(() => PricingTable.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Contains("Pricing file", e.Message);
    }

    [Theory]
    // 1. Exact, after lower-casing and stripping resource/provider prefixes.
    [InlineData("claude-sonnet-4-5-20250929", "exact", "0.000003")]
    [InlineData("CLAUDE-OPUS-4-6", "exact", "0.000005")]
    [InlineData("models/gemini-2.5-pro", "exact", "0.00000125")]
    [InlineData("projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro", "exact", "0.00000125")]
    [InlineData("anthropic/claude-opus-4-6", "exact", "0.000005")]
    [InlineData("claude-opus-4-5@20251101", "exact", "0.000005")]
    // 3. Base name: dated ids and ':' suffixes.
    [InlineData("claude-opus-4-1-20991231", "base", "0.000015")]
    [InlineData("claude-opus-4-1:thinking", "base", "0.000015")]
    [InlineData("claude-3-5-sonnet", "base", "0.000003")]
    [InlineData("gpt-5.2-20991231", "base", "0.00000175")]
    // 4. Claude family: unknown versions fall to the nearest known one of the family.
    [InlineData("claude-opus-4-8", "family:opus", "0.000005")]
    [InlineData("claude-opus-4.5", "family:opus", "0.000005")]
    [InlineData("claude-opus-4-5-thinking", "family:opus", "0.000005")]
    [InlineData("claude-3-opus-foo", "family:opus", "0.000015")]
    [InlineData("claude-sonnet-5", "family:sonnet", "0.000003")]
    [InlineData("claude-haiku-9", "family:haiku", "0.000001")]
    [InlineData("claude-3-5-haiku-new", "family:haiku", "0.0000008")]
    // 5. OpenAI and Gemini.
    [InlineData("gpt-5.2-2099-01-01", "openai", "0.00000175")]
    [InlineData("gpt-5.3-codex-xhigh", "openai", "0.00000175")]
    [InlineData("gpt-7", "openai", "0.00000125")]
    [InlineData("gpt-5.4", "openai", "0.0000025")]
    [InlineData("gemini-3.5-pro", "gemini", "0.000002")]
    [InlineData("gemini-9-flash", "gemini", "0.0000005")]
    [InlineData("gemini-2.5-flash-lite-new", "gemini", "0.0000001")]
    [InlineData("gemini-ultra", "gemini", "0.00000125")]
    // Anything else: the Sonnet 4 price.
    [InlineData("totally-unknown-model", "fallback", "0.000003")]
    [InlineData("claude", "fallback", "0.000003")]
    [InlineData("", "fallback", "0.000003")]
    public void Explain_BuiltIn_RuleAndInputPrice(string model, string expectedRule, string expectedInput)
    {
        var (price, matchedBy) = BuiltIn.Explain(model);

        Assert.Equal(expectedRule, matchedBy);
        Assert.Equal(D(expectedInput), price.InputPerToken);
        Assert.Equal(price, BuiltIn.Lookup(model));
    }

    [Fact]
    public void Lookup_ClaudeOpus48_IsClaudeOpus46Price()
    {
        Assert.Equal(BuiltIn.Lookup("claude-opus-4-6"), BuiltIn.Lookup("claude-opus-4-8"));
        Assert.Equal(BuiltIn.Lookup("claude-sonnet-4-6"), BuiltIn.Lookup("claude-sonnet-5"));
        Assert.Equal(BuiltIn.Lookup("claude-haiku-4-5"), BuiltIn.Lookup("claude-haiku-9"));
    }

    [Theory]
    [InlineData("claude-opus-4-5-20251101", "claude-opus-4.5-20251101")]
    [InlineData("claude-opus-4.5-20251101", "claude-opus-4-5-20251101")]
    public void Explain_FourFiveSpelling_Normalized(string requested, string tableKey)
    {
        var table = PricingTable.Parse(Json((tableKey, Entry("7e-06", "3.5e-05"))));

        var (price, matchedBy) = table.Explain(requested);

        Assert.Equal("normalized", matchedBy);
        Assert.Equal(0.000007m, price.InputPerToken);
    }

    [Theory]
    // Table without any newer opus entry: hard-coded opus-4.5 price, not the table's opus-4.1 one.
    [InlineData("claude-opus-4-1", "claude-opus-4-8", "0.000005")]
    // The table's newest family entry wins over the hard-coded fallback.
    [InlineData("claude-opus-4-6", "claude-opus-4-8", "0.000007")]
    [InlineData("claude-opus-4-7", "claude-opus-4-8", "0.000007")]
    // Between two known versions: the older neighbour.
    [InlineData("claude-sonnet-4-6", "claude-sonnet-4-2", "0.000003")]
    // No table entry at all for the family: hard-coded.
    [InlineData("gpt-5.1", "claude-3-haiku-x", "0.00000025")]
    [InlineData("gpt-5.1", "claude-3-opus-x", "0.000015")]
    public void Explain_FamilyFallback_TableOrHardCoded(string tableKey, string requested, string expectedInput)
    {
        var table = PricingTable.Parse(Json((tableKey, Entry("7e-06", "3.5e-05"))));

        var (price, matchedBy) = table.Explain(requested);

        Assert.StartsWith("family:", matchedBy);
        Assert.Equal(D(expectedInput), price.InputPerToken);
    }

    [Theory]
    [InlineData("gpt-5.3-codex", "0.00000175")]
    [InlineData("gpt-5.3-codex-spark-high", "0.00000125")]
    [InlineData("gpt-5.9-mini", "0.00000125")]
    public void Explain_OpenAIChain_CodexFallbacks(string requested, string expectedInput)
    {
        var table = PricingTable.Parse(Json(("gpt-5.2-codex", Entry("1.75e-06", "1.4e-05")), ("gpt-5.1-codex", Entry("1.25e-06", "1e-05"))));

        var (price, matchedBy) = table.Explain(requested);

        Assert.Equal("openai", matchedBy);
        Assert.Equal(D(expectedInput), price.InputPerToken);
    }

    [Theory]
    [InlineData("claude-opus-4-8")]
    [InlineData("gpt-99")]
    [InlineData("gemini-weird")]
    [InlineData("   ")]
    [InlineData("qwen-max-2099")]
    [InlineData("o9-preview")]
    [InlineData("models/")]
    [InlineData("///")]
    [InlineData("claude-sonnet-4-5-20250929-v1:0:extra")]
    public void Lookup_AnyChatModel_NeverZeroNeverThrows(string model)
    {
        foreach (var table in new[] { BuiltIn, PricingTable.Parse("{}"u8) })
        {
            var price = table.Lookup(model);
            Assert.True(price.InputPerToken > 0 && price.OutputPerToken > 0, $"{model}: {price}");
        }
    }
}

namespace Sub2Api.Billing;

/// <summary>
/// Immutable price table: model name (lower-case) -> <see cref="ModelPrice"/>, plus the lookup and fallback
/// rules of SPEC §5.1. A lookup never fails: a model the table does not know is billed at the price of its
/// nearest known relative, and anything else at the Sonnet 4 price, so usage is never recorded as free.
/// </summary>
internal sealed class PricingTable
{
    public const string ResourceName = "Sub2Api.Billing.model_prices.json";

    private static readonly Lazy<PricingTable> BuiltIn = new(LoadEmbedded);

    private readonly Dictionary<string, ModelPrice> _prices;
    private readonly Dictionary<string, ModelPrice> _byBaseName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VersionedPrices> _claudeFamilies;
    private readonly Dictionary<string, VersionedPrices> _geminiTiers;

    private PricingTable(Dictionary<string, ModelPrice> prices)
    {
        _prices = prices;
        // Ordinal order makes the base-name index deterministic (the original scanned a Go map: random pick).
        foreach (var key in prices.Keys.Order(StringComparer.Ordinal))
        {
            _byBaseName.TryAdd(ModelNames.BaseName(key), prices[key]);
        }
        _claudeFamilies = ModelFamilies.BuildClaude(prices);
        _geminiTiers = ModelFamilies.BuildGemini(prices);
    }

    public int Count => _prices.Count;

    /// <summary>Parses a LiteLLM price file. Throws <see cref="FormatException"/> when it is not a JSON object.</summary>
    public static PricingTable Parse(ReadOnlySpan<byte> litellmJson) => new(PricingJsonParser.Parse(litellmJson));

    /// <summary>The table embedded in the assembly; parsed once per process.</summary>
    public static PricingTable LoadBuiltIn() => BuiltIn.Value;

    public ModelPrice Lookup(string model) => Explain(model).Price;

    /// <summary>Same as <see cref="Lookup"/>, plus the rule that matched: exact, normalized, base,
    /// family:{opus|sonnet|haiku}, openai, gemini or fallback.</summary>
    public (ModelPrice Price, string MatchedBy) Explain(string model)
    {
        var lower = (model ?? "").Trim().ToLowerInvariant();
        var candidates = ModelNames.Candidates(lower);
        foreach (var name in candidates)
        {
            if (_prices.TryGetValue(name, out var price))
            {
                return (price, "exact");
            }
        }
        foreach (var variant in candidates.SelectMany(ModelNames.VersionVariants))
        {
            if (_prices.TryGetValue(variant, out var price))
            {
                return (price, "normalized");
            }
        }

        var core = ModelNames.Core(lower);
        var baseName = ModelNames.BaseName(core);
        if (baseName.Length > 0 && (_prices.TryGetValue(baseName, out var basePrice) || _byBaseName.TryGetValue(baseName, out basePrice)))
        {
            return (basePrice, "base");
        }

        if (ModelFamilies.TryParseClaude(core, out var family, out var version)
            && _claudeFamilies[family].Pick(version) is { } familyPrice)
        {
            return (familyPrice, "family:" + family);
        }
        if (core.StartsWith("gpt-", StringComparison.Ordinal) && MatchOpenAI(core) is { } openAIPrice)
        {
            return (openAIPrice, "openai");
        }
        if (core.StartsWith("gemini-", StringComparison.Ordinal) && MatchGemini(core) is { } geminiPrice)
        {
            return (geminiPrice, "gemini");
        }
        return (FallbackPrices.Sonnet4, "fallback");
    }

    /// <summary>SPEC §5.1 step 5 (OpenAI), in the original's order.</summary>
    private ModelPrice? MatchOpenAI(string name)
    {
        // The original bills the Spark variants at the gpt-5.1-codex price by business rule.
        if (name.StartsWith("gpt-5.3-codex-spark", StringComparison.Ordinal) && _prices.TryGetValue("gpt-5.1-codex", out var spark))
        {
            return spark;
        }
        foreach (var variant in ModelNames.OpenAIVariants(name))
        {
            if (_prices.TryGetValue(variant, out var price))
            {
                return price;
            }
        }
        if (name.StartsWith("gpt-5.3-codex", StringComparison.Ordinal) && _prices.TryGetValue("gpt-5.2-codex", out var codex))
        {
            return codex;
        }
        if (name.StartsWith("gpt-5.4", StringComparison.Ordinal))
        {
            return FallbackPrices.Gpt54; // Not in the bundled table; the original's static price.
        }
        return _prices.GetValueOrDefault("gpt-5.1-codex"); // The original's DefaultTestModel.
    }

    /// <summary>Unknown Gemini: the nearest known version of the same tier, else gemini-2.5-pro.</summary>
    private ModelPrice? MatchGemini(string name)
    {
        var tier = ModelFamilies.TryParseGemini(name, out var version);
        if (tier == "flash-lite" && !_geminiTiers.ContainsKey(tier))
        {
            tier = "flash";
        }
        if (tier is not null && _geminiTiers.TryGetValue(tier, out var tierPrices) && tierPrices.Pick(version) is { } price)
        {
            return price;
        }
        return _prices.GetValueOrDefault("gemini-2.5-pro");
    }

    private static PricingTable LoadEmbedded()
    {
        using var stream = typeof(PricingTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from the assembly.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Parse(bytes);
    }
}

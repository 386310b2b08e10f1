namespace Sub2Api.Billing;

/// <summary>
/// Hard-coded prices (SPEC §5.1) used when the table has no entry for a model family, so a chat model is
/// never billed at zero. No 1h cache price: the split is only billed when the price table knows it.
/// </summary>
internal static class FallbackPrices
{
    public static readonly ModelPrice Opus45 = new(0.000005m, 0.000025m, 0.00000625m, 0m, 0.0000005m, null);
    public static readonly ModelPrice Sonnet4 = new(0.000003m, 0.000015m, 0.00000375m, 0m, 0.0000003m, null);
    public static readonly ModelPrice Haiku35 = new(0.000001m, 0.000005m, 0.00000125m, 0m, 0.0000001m, null);
    public static readonly ModelPrice Opus3 = new(0.000015m, 0.000075m, 0.00001875m, 0m, 0.0000015m, null);
    public static readonly ModelPrice Haiku3 = new(0.00000025m, 0.00000125m, 0.0000003m, 0m, 0.00000003m, null);

    /// <summary>The original's static GPT-5.4 price (not in the bundled table); cache writes are free on OpenAI.</summary>
    public static readonly ModelPrice Gpt54 = new(0.0000025m, 0.000015m, 0m, 0m, 0.00000025m, null);

    /// <summary>
    /// Known Claude versions per family with their hard-coded price. Table entries of the same version win;
    /// these fill the gaps so that, for example, <c>claude-opus-4-8</c> gets the Opus 4.5/4.6 price and not
    /// the Opus 4.1 one when a refreshed table happens to lack the newer entries.
    /// </summary>
    public static readonly IReadOnlyList<(string Family, ModelVersion Version, ModelPrice Price)> Claude =
    [
        ("opus", new(3, 0), Opus3),
        ("opus", new(4, 0), Opus3),
        ("opus", new(4, 1), Opus3),
        ("opus", new(4, 5), Opus45),
        ("opus", new(4, 6), Opus45),
        ("sonnet", new(3, 0), Sonnet4),
        ("sonnet", new(3, 5), Sonnet4),
        ("sonnet", new(3, 7), Sonnet4),
        ("sonnet", new(4, 0), Sonnet4),
        ("sonnet", new(4, 5), Sonnet4),
        ("sonnet", new(4, 6), Sonnet4),
        ("haiku", new(3, 0), Haiku3),
        ("haiku", new(3, 5), Haiku35),
        ("haiku", new(4, 5), Haiku35),
    ];
}

namespace Sub2Api.Billing;

/// <summary>Per-token USD prices of one model (LiteLLM fields, exact decimals).</summary>
/// <param name="CacheCreationPerToken">Cache write price; the 5-minute price when the model has a 1-hour price too.</param>
/// <param name="CacheCreation1hPerToken">LiteLLM <c>cache_creation_input_token_cost_above_1hr</c>; 0 when unknown.</param>
/// <param name="OutputPerImage">LiteLLM <c>output_cost_per_image</c>; null when the entry has none.</param>
internal sealed record ModelPrice(
    decimal InputPerToken,
    decimal OutputPerToken,
    decimal CacheCreationPerToken,
    decimal CacheCreation1hPerToken,
    decimal CacheReadPerToken,
    decimal? OutputPerImage)
{
    /// <summary>
    /// Bill 5m and 1h cache writes separately. Requires the 1h price to be above the 5m one, so a LiteLLM
    /// data error (1h price lower than 5m) can never make a cache write cheaper than it should be.
    /// </summary>
    public bool SupportsCacheBreakdown => CacheCreation1hPerToken > 0 && CacheCreation1hPerToken > CacheCreationPerToken;
}

using System.Globalization;
using System.Text.Json;

namespace Sub2Api.Billing;

/// <summary>
/// Reads LiteLLM's <c>model_prices_and_context_window.json</c> with a forward-only reader: ~1 MB, thousands of
/// entries, of which only six numeric fields matter. Prices are read as decimals straight from the number text,
/// never through double, so "3e-06" is exactly 0.000003.
/// </summary>
internal static class PricingJsonParser
{
    private const string SampleSpec = "sample_spec";

    public static Dictionary<string, ModelPrice> Parse(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..]; // Downloaded copies sometimes carry a UTF-8 BOM; the reader rejects it.
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("Pricing file is not a JSON object of model name -> prices (LiteLLM format).");
            }
            var prices = new Dictionary<string, ModelPrice>(4096, StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!.Trim().ToLowerInvariant();
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject || name.Length == 0 || name == SampleSpec)
                {
                    reader.Skip();
                    continue;
                }
                if (ReadEntry(ref reader) is { } price)
                {
                    prices.TryAdd(name, price); // Keys differing only by case: the first one wins.
                }
            }
            return prices;
        }
        catch (JsonException e)
        {
            throw new FormatException($"Pricing file is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>One model object; null when it has neither an input nor an output price.</summary>
    private static ModelPrice? ReadEntry(ref Utf8JsonReader reader)
    {
        Span<decimal?> values = stackalloc decimal?[6];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            reader.Read();
            if (field < 0)
            {
                reader.Skip(); // Unknown property: skips nested objects/arrays in one go.
                continue;
            }
            values[field] = ReadPrice(ref reader);
        }
        var (input, output) = (values[0], values[1]);
        return input is null && output is null
            ? null
            : new ModelPrice(input ?? 0, output ?? 0, values[2] ?? 0, values[3] ?? 0, values[4] ?? 0, values[5]);
    }

    private static int FieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("input_cost_per_token"u8) ? 0
        : reader.ValueTextEquals("output_cost_per_token"u8) ? 1
        : reader.ValueTextEquals("cache_creation_input_token_cost"u8) ? 2
        : reader.ValueTextEquals("cache_creation_input_token_cost_above_1hr"u8) ? 3
        : reader.ValueTextEquals("cache_read_input_token_cost"u8) ? 4
        : reader.ValueTextEquals("output_cost_per_image"u8) ? 5
        : -1;

    private static decimal? ReadPrice(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip(); // null, strings and objects are "no price".
            return null;
        }
        if (!reader.TryGetDecimal(out var value)
            && !decimal.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return null; // Out of decimal range: not a usable price.
        }
        // A negative price would credit the caller; treat it as missing.
        return value < 0 ? null : value;
    }
}

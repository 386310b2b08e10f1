using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sub2Api.Common;

/// <summary>The wire format of the management API: snake_case names, exact decimals, UTC ISO-8601 times.</summary>
internal static class JsonDefaults
{
    /// <summary>Gateway responses whose field names are already exact (<c>isValid</c>, <c>planName</c>, …).</summary>
    public static readonly JsonSerializerOptions Verbatim = CreateVerbatim();

    private static JsonSerializerOptions CreateVerbatim()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };
        options.Converters.Add(new ExactDecimalConverter());
        return options;
    }

    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new ExactDecimalConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    /// <summary>
    /// Decimals are written as JSON numbers without trailing zeros (PostgreSQL numeric(24,12) would otherwise
    /// print 12 places) and read without going through double, so money stays exact end to end.
    /// </summary>
    private sealed class ExactDecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value)
                ? value
                : throw new JsonException("must be a number");

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value / 1.000000000000000000000000000000000m);
    }
}

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
        options.Converters.Add(new CheckedElementConverter());
        options.Converters.Add(new NoNulStringConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    /// <summary>
    /// PostgreSQL text cannot hold U+0000 and fails the whole statement on it (a 500), while SQLite stores it; no
    /// name, note or setting needs it. Refused while reading, so both databases answer the same 400.
    /// </summary>
    private static void CheckNoNul(string? value)
    {
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new JsonException("must not contain the NUL character (\\u0000)");
        }
    }

    /// <summary>Every string property and dictionary key of a request body: see <see cref="CheckNoNul"/>.</summary>
    private sealed class NoNulStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("must be a string");
            }
            var value = reader.GetString();
            CheckNoNul(value);
            return value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var name = reader.GetString()!;
            CheckNoNul(name);
            return name;
        }

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);
    }

    /// <summary>
    /// Raw JSON a handler reads itself (account credentials, settings, partial updates). The reader accepts
    /// invalid UTF-8 and lone surrogate escapes (<c>"\ud800"</c>) inside strings and only fails when the string is
    /// read, which in a handler is an InvalidOperationException — a 500. Every string and property name is
    /// decoded once here instead, so such a body is a 400 naming the field before any handler sees it.
    /// </summary>
    private sealed class CheckedElementConverter : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            if (element.ValueKind != JsonValueKind.Object)
            {
                Rethrown(() => DecodeStrings(element), member: null);
                return element;
            }
            // The serializer's path ends at this value, so the message names the member inside it that failed.
            foreach (var property in element.EnumerateObject())
            {
                Rethrown(() => CheckNoNul(property.Name), member: null);
                Rethrown(() => DecodeStrings(property.Value), property.Name);
            }
            return element;
        }

        private static void Rethrown(Action check, string? member)
        {
            try
            {
                check();
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException)
            {
                throw member is null
                    ? new JsonException("holds a string that is not valid UTF-8 or UTF-16, or that contains NUL")
                    : new JsonMemberException(member);
            }
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static void DecodeStrings(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    CheckNoNul(element.GetString());
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        DecodeStrings(item);
                    }
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        CheckNoNul(property.Name);
                        DecodeStrings(property.Value);
                    }
                    break;
            }
        }
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

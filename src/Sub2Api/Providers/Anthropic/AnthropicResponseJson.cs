using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Allocation-free <see cref="Utf8JsonReader"/> helpers shared by the stream observer and the non-stream
/// reader, so both read an Anthropic <c>usage</c> object the same way.
/// </summary>
internal static class AnthropicResponseJson
{
    /// <summary>The usage fields one JSON object carried; <see cref="HasOutput"/> tells "0" from "absent".</summary>
    internal struct UsageFields
    {
        public long Input;
        public long Output;
        public long CacheCreation;
        public long CacheRead;
        public long CacheCreation5m;
        public long CacheCreation1h;
        public bool HasOutput;

        public readonly TokenUsage ToTokenUsage() =>
            new(Input, Output, CacheCreation, CacheRead, CacheCreation5m, CacheCreation1h);
    }

    /// <summary>Reads the value of the property the reader is on as a usage object (anything else is skipped).</summary>
    public static void ReadUsage(ref Utf8JsonReader reader, ref UsageFields usage)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                usage.Input = ReadLong(ref reader, out _);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                usage.Output = ReadLong(ref reader, out var present);
                usage.HasOutput |= present;
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                usage.CacheCreation = ReadLong(ref reader, out _);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                usage.CacheRead = ReadLong(ref reader, out _);
            }
            else if (reader.ValueTextEquals("cache_creation"u8))
            {
                ReadCacheCreationSplit(ref reader, ref usage);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>The value of the property the reader is on as a whole number; 0 and <paramref name="present"/>=false otherwise.</summary>
    public static long ReadLong(ref Utf8JsonReader reader, out bool present)
    {
        reader.Read();
        present = false;
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return 0;
        }

        present = true;
        if (reader.TryGetInt64(out var whole))
        {
            return whole;
        }

        // Some compatible upstreams print counts as 12.0; a count never needs the fraction.
        return reader.TryGetDouble(out var real) && real is >= -9.2e18 and <= 9.2e18 ? (long)real : 0;
    }

    /// <summary>A JSON string literal (quotes included) for <paramref name="value"/>, for surgical splicing.</summary>
    public static byte[] QuotedString(string value)
    {
        // Relaxed escaping keeps model names such as "claude-3-5-sonnet+beta" readable; the output is still valid JSON.
        var encoded = JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var quoted = new byte[encoded.Length + 2];
        quoted[0] = (byte)'"';
        encoded.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        return quoted;
    }

    /// <summary>
    /// gjson-style lookup of <c>key1</c> or <c>key1.key2</c> on a top-level object: strings unescaped, other
    /// values as their raw JSON text, null/absent as "". Tolerates trailing garbage after the value is found.
    /// </summary>
    public static string GetText(ReadOnlySpan<byte> json, ReadOnlySpan<byte> key1, ReadOnlySpan<byte> key2 = default)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !SeekProperty(ref reader, key1))
            {
                return "";
            }

            if (!key2.IsEmpty)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject || !SeekProperty(ref reader, key2))
                {
                    return "";
                }
            }

            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString() ?? "";
                case JsonTokenType.Null:
                    return "";
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    return Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
                default:
                    return Encoding.UTF8.GetString(reader.ValueSpan);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary><paramref name="source"/> with bytes [start, end) replaced by <paramref name="replacement"/>.</summary>
    internal static byte[] Splice(ReadOnlySpan<byte> source, int start, int end, ReadOnlySpan<byte> replacement)
    {
        var result = new byte[source.Length - (end - start) + replacement.Length];
        Splice(source, start, end, replacement, result);
        return result;
    }

    /// <summary>Writes the spliced bytes into <paramref name="destination"/>, which must be large enough.</summary>
    internal static int Splice(ReadOnlySpan<byte> source, int start, int end, ReadOnlySpan<byte> replacement, Span<byte> destination)
    {
        source[..start].CopyTo(destination);
        replacement.CopyTo(destination[start..]);
        source[end..].CopyTo(destination[(start + replacement.Length)..]);
        return source.Length - (end - start) + replacement.Length;
    }

    /// <summary>Moves to the named property of the object just opened; false when the object ends first.</summary>
    private static bool SeekProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static void ReadCacheCreationSplit(ref Utf8JsonReader reader, ref UsageFields usage)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ephemeral_5m_input_tokens"u8))
            {
                usage.CacheCreation5m = ReadLong(ref reader, out _);
            }
            else if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
            {
                usage.CacheCreation1h = ReadLong(ref reader, out _);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}

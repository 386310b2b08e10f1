using System.Text.Json;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Token counts as the OpenAI usage objects carry them, read leniently: a count the gateway cannot read
/// bills as 0 rather than failing an answer the client already has.</summary>
internal static class OpenAIJsonNumbers
{
    /// <summary>Reads the value after the property the reader is on as a non-negative count (0 when it is not a
    /// number); the reader ends on the value's last token.</summary>
    public static long ReadCount(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return 0;
        }
        if (reader.TryGetInt64(out var count))
        {
            return Math.Max(count, 0);
        }
        return reader.TryGetDouble(out var real) && real > 0 && real < 9.2e18 ? (long)real : 0;
    }

    /// <summary>Reads <c>{"cached_tokens":n,…}</c> (input_tokens_details / prompt_tokens_details) after the property
    /// the reader is on.</summary>
    public static long ReadCachedTokens(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        long cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = ReadCount(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return cached;
    }
}

using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Reads a Responses API <c>response</c> object (a JSON answer, or the object inside
/// response.completed) without building a DOM.</summary>
internal static class ResponsesJson
{
    /// <summary>The billed usage of a response object, or null when it has no usage object or is not JSON.</summary>
    public static TokenUsage? ReadUsage(ReadOnlySpan<byte> responseJson)
    {
        try
        {
            var reader = new Utf8JsonReader(responseJson);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    return ReadUsageValue(ref reader);
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // A truncated or non-JSON body bills nothing rather than failing an already-relayed answer.
        }
        return null;
    }

    /// <summary>
    /// Reads the value after the <c>usage</c> property the reader is on: input = input_tokens −
    /// input_tokens_details.cached_tokens (never below 0), cache read = cached_tokens, output = output_tokens (which
    /// already counts reasoning tokens), no cache creation. Null when the value is not an object.
    /// </summary>
    public static TokenUsage? ReadUsageValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        long input = 0, output = 0, cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = OpenAIJsonNumbers.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                output = OpenAIJsonNumbers.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("input_tokens_details"u8))
            {
                cached = OpenAIJsonNumbers.ReadCachedTokens(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return new TokenUsage(Math.Max(input - cached, 0), output, 0, cached);
    }
}

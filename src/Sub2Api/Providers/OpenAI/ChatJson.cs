using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Reads Chat Completions answers (<c>chat.completion</c> and the usage-carrying chunk) without a DOM.</summary>
internal static class ChatJson
{
    /// <summary>The billed usage of a chat.completion (or chunk), or null when it has no usage object (a chunk's
    /// <c>"usage":null</c> included) or is not JSON.</summary>
    public static TokenUsage? ReadUsage(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
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
    /// Reads the value after the <c>usage</c> property the reader is on: input = prompt_tokens −
    /// prompt_tokens_details.cached_tokens (never below 0), cache read = cached_tokens, output = completion_tokens
    /// (reasoning included). Null when the value is not an object.
    /// </summary>
    public static TokenUsage? ReadUsageValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        long prompt = 0, completion = 0, cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = OpenAIJsonNumbers.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = OpenAIJsonNumbers.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = OpenAIJsonNumbers.ReadCachedTokens(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return new TokenUsage(Math.Max(prompt - cached, 0), completion, 0, cached);
    }
}

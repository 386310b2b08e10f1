using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.Anthropic;

/// <summary>Reads and patches non-stream <c>/v1/messages</c> JSON responses without building a DOM.</summary>
internal static class AnthropicResponse
{
    /// <summary>The top-level <c>usage</c> object; zero usage when it is absent or the body is not JSON.</summary>
    public static TokenUsage ReadUsage(ReadOnlySpan<byte> json)
    {
        var usage = default(AnthropicResponseJson.UsageFields);
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    AnthropicResponseJson.ReadUsage(ref reader, ref usage);
                    return usage.ToTokenUsage();
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // A truncated or non-JSON body bills nothing rather than failing an already-relayed response.
            return default;
        }

        return default;
    }

    /// <summary>
    /// Replaces the top-level <c>model</c> value when it equals <paramref name="from"/> (the mapped upstream model)
    /// with <paramref name="to"/> (what the client asked for). Only that value's bytes change, so key order,
    /// number formatting and unknown fields survive exactly. Null when there is nothing to replace.
    /// </summary>
    public static byte[]? MapModelBack(ReadOnlySpan<byte> json, string from, string to)
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
                if (!reader.ValueTextEquals("model"u8))
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(from))
                {
                    return null;
                }

                return AnthropicResponseJson.Splice(json, (int)reader.TokenStartIndex, (int)reader.BytesConsumed, AnthropicResponseJson.QuotedString(to));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }
}

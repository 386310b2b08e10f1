using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// The names one OpenAI API gives its usage counts: Responses says input/output tokens, Chat Completions says
/// prompt/completion tokens; both put the cached part of the input in a details object.
/// </summary>
internal sealed class OpenAIUsageNames(string input, string output, string inputDetails)
{
    public static readonly OpenAIUsageNames Responses = new("input_tokens", "output_tokens", "input_tokens_details");
    public static readonly OpenAIUsageNames Chat = new("prompt_tokens", "completion_tokens", "prompt_tokens_details");

    public byte[] Input { get; } = System.Text.Encoding.UTF8.GetBytes(input);
    public byte[] Output { get; } = System.Text.Encoding.UTF8.GetBytes(output);
    public byte[] InputDetails { get; } = System.Text.Encoding.UTF8.GetBytes(inputDetails);
}

/// <summary>
/// Reads the billed usage of an OpenAI answer without a DOM: input = input − cached (never below 0), cache read =
/// cached, output = output (which already counts reasoning tokens), no cache creation.
/// </summary>
internal static class OpenAIUsageJson
{
    /// <summary>The top-level <c>usage</c> of an answer, or null when it has none (<c>"usage":null</c> included) or is not JSON.</summary>
    public static TokenUsage? Read(ReadOnlySpan<byte> json, OpenAIUsageNames names)
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
                    return ReadValue(ref reader, names);
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

    /// <summary>Reads the value after the <c>usage</c> property the reader is on; null when it is not an object.</summary>
    public static TokenUsage? ReadValue(ref Utf8JsonReader reader, OpenAIUsageNames names)
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
            if (reader.ValueTextEquals(names.Input))
            {
                input = OpenAIJsonNumbers.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals(names.Output))
            {
                output = OpenAIJsonNumbers.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals(names.InputDetails))
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

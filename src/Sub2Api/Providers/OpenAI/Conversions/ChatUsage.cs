using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// A Responses <c>usage</c> object in Chat Completions terms. Both APIs count the same tokens: input_tokens
/// includes the cached ones and output_tokens includes the reasoning ones, so the numbers carry over as they are.
/// </summary>
internal readonly record struct ChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens, long CachedTokens, long ReasoningTokens)
{
    public static ChatUsage FromResponses(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return default;
        }
        var input = Number(usage, "input_tokens");
        var output = Number(usage, "output_tokens");
        var total = usage.TryGetProperty("total_tokens", out var t) && t.ValueKind == JsonValueKind.Number
            ? Number(usage, "total_tokens")
            : input + output;
        return new ChatUsage(input, output, total,
            Nested(usage, "input_tokens_details", "cached_tokens"),
            Nested(usage, "output_tokens_details", "reasoning_tokens"));
    }

    /// <summary>Writes the <c>usage</c> property of a chat.completion (or of the final stream chunk).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", PromptTokens);
        writer.WriteNumber("completion_tokens", CompletionTokens);
        writer.WriteNumber("total_tokens", TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", CachedTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static long Nested(JsonElement usage, string details, string name) =>
        usage.TryGetProperty(details, out var inner) && inner.ValueKind == JsonValueKind.Object ? Number(inner, name) : 0;

    private static long Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}

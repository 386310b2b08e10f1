using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Reads Chat Completions answers (<c>chat.completion</c> and the usage-carrying chunk).</summary>
internal static class ChatJson
{
    /// <summary>The billed usage of a chat.completion (or chunk), or null when it has no usage object (a chunk's
    /// <c>"usage":null</c> included) or is not JSON.</summary>
    public static TokenUsage? ReadUsage(ReadOnlySpan<byte> json) => OpenAIUsageJson.Read(json, OpenAIUsageNames.Chat);

    /// <summary>Reads the value after the <c>usage</c> property the reader is on (null when it is not an object).</summary>
    public static TokenUsage? ReadUsageValue(ref Utf8JsonReader reader) => OpenAIUsageJson.ReadValue(ref reader, OpenAIUsageNames.Chat);
}

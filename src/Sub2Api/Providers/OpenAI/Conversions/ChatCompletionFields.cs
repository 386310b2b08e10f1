using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>The fields a chat.completion and its stream chunks derive from a Responses <c>response</c> object.</summary>
internal static class ChatCompletionFields
{
    /// <summary>
    /// "chatcmpl-" + the response id without its "resp_" prefix: stable for one response (every chunk of a
    /// stream carries the same id), recognisable in logs on both sides. A random id stands in when none came.
    /// </summary>
    public static string Id(string? responseId) => responseId switch
    {
        null or "" => "chatcmpl-" + Guid.NewGuid().ToString("N"),
        _ when responseId.StartsWith("resp_", StringComparison.Ordinal) => "chatcmpl-" + responseId["resp_".Length..],
        _ => "chatcmpl-" + responseId,
    };

    public static string Id(JsonElement response) => Id(String(response, "id"));

    /// <summary>Unix seconds of <c>created_at</c>, or now when the upstream did not say.</summary>
    public static long Created(JsonElement response)
    {
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("created_at", out var created)
            && created.ValueKind == JsonValueKind.Number)
        {
            return created.TryGetInt64(out var seconds) ? seconds : (long)created.GetDouble();
        }
        return DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    /// <summary>
    /// "tool_calls" when the model called a tool (the client must run it), "length" when the output budget ran
    /// out, "content_filter" when the upstream filtered the output, else "stop".
    /// </summary>
    public static string FinishReason(JsonElement response, bool calledTools)
    {
        if (calledTools)
        {
            return "tool_calls";
        }
        if (String(response, "status") == "incomplete"
            && String(Member(response, "incomplete_details"), "reason") is { } reason)
        {
            return reason switch
            {
                "max_output_tokens" => "length",
                "content_filter" => "content_filter",
                _ => "stop",
            };
        }
        return "stop";
    }

    /// <summary>The member of an object, or an undefined element when <paramref name="obj"/> is not an object or lacks it.</summary>
    public static JsonElement Member(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// Chat <c>messages</c> → the Responses <c>input</c> array. One chat message may become several items: an
/// assistant turn is its text (a message item) followed by one function_call item per tool call, because the
/// Responses API models tool calls as items of their own rather than as fields of the message.
/// </summary>
internal static class ChatMessagesToInput
{
    public static void Write(Utf8JsonWriter writer, JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new ChatRequestException("messages must be a non-empty array");
        }
        // Legacy function calls carry no id; each is given one and the next role:function result answers it.
        var legacyCalls = 0;
        string? pendingLegacyCallId = null;
        writer.WriteStartArray("input");
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            ChatJson.RequireObject(message, path);
            var role = ChatJson.RequiredString(message, "role", path);
            message.TryGetProperty("content", out var content);
            switch (role)
            {
                case "system" or "developer" or "user":
                    if (content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                    {
                        throw new ChatRequestException($"{path}.content is required");
                    }
                    writer.WriteStartObject();
                    writer.WriteString("type", "message");
                    writer.WriteString("role", role);
                    ChatContentParts.WriteInput(writer, content, $"{path}.content");
                    writer.WriteEndObject();
                    break;
                case "assistant":
                    ChatContentParts.WriteAssistantMessage(writer, content, $"{path}.content");
                    WriteToolCalls(writer, message, path);
                    if (ChatJson.TryGet(message, "function_call", out var functionCall))
                    {
                        pendingLegacyCallId = $"call_legacy_{++legacyCalls}";
                        WriteFunctionCall(writer, pendingLegacyCallId, functionCall, $"{path}.function_call");
                    }
                    break;
                case "tool":
                    WriteOutput(writer, ChatJson.RequiredString(message, "tool_call_id", path), content, path);
                    break;
                case "function":
                    var callId = pendingLegacyCallId ?? $"call_legacy_{ChatJson.RequiredString(message, "name", path)}";
                    pendingLegacyCallId = null;
                    WriteOutput(writer, callId, content, path);
                    break;
                default:
                    throw new ChatRequestException($"{path}.role '{role}' is not supported");
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, JsonElement message, string path)
    {
        if (!ChatJson.TryGet(message, "tool_calls", out var toolCalls))
        {
            return;
        }
        var index = 0;
        foreach (var call in ChatJson.RequireArray(toolCalls, $"{path}.tool_calls").EnumerateArray())
        {
            var callPath = $"{path}.tool_calls[{index++}]";
            ChatJson.RequireObject(call, callPath);
            var type = ChatJson.OptionalString(call, "type", callPath) ?? "function";
            if (type != "function")
            {
                throw new ChatRequestException($"{callPath}.type '{type}' is not supported");
            }
            if (!ChatJson.TryGet(call, "function", out var function))
            {
                throw new ChatRequestException($"{callPath}.function is required");
            }
            WriteFunctionCall(writer, ChatJson.RequiredString(call, "id", callPath), function, $"{callPath}.function");
        }
    }

    private static void WriteFunctionCall(Utf8JsonWriter writer, string callId, JsonElement function, string path)
    {
        ChatJson.RequireObject(function, path);
        writer.WriteStartObject();
        writer.WriteString("type", "function_call");
        writer.WriteString("call_id", callId);
        writer.WriteString("name", ChatJson.RequiredString(function, "name", path));
        writer.WriteString("arguments", Arguments(function, path));
        writer.WriteEndObject();
    }

    /// <summary>
    /// Arguments are a JSON-encoded object; a call without them is sent as "{}" because an empty string is not
    /// JSON, and a client that sent the object itself instead of its encoding is forgiven.
    /// </summary>
    private static string Arguments(JsonElement function, string path)
    {
        if (!ChatJson.TryGet(function, "arguments", out var arguments))
        {
            return "{}";
        }
        return arguments.ValueKind switch
        {
            JsonValueKind.String => arguments.GetString() is { Length: > 0 } text ? text : "{}",
            JsonValueKind.Object => arguments.GetRawText(),
            _ => throw new ChatRequestException($"{path}.arguments must be a string"),
        };
    }

    private static void WriteOutput(Utf8JsonWriter writer, string callId, JsonElement content, string path)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "function_call_output");
        writer.WriteString("call_id", callId);
        writer.WriteString("output", ChatContentParts.Text(content, $"{path}.content"));
        writer.WriteEndObject();
    }
}

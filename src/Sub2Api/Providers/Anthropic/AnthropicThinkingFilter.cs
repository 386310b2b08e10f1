using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// The 400 signature-error rectifier (SPEC §4.4, <c>FilterThinkingBlocksForRetry</c> and
/// <c>FilterSignatureSensitiveBlocksForRetry</c> in the original). The request already failed, so signatures are
/// lost anyway: these edits re-serialise the <c>messages</c> array (and drop top-level <c>thinking</c>, plus the
/// <c>context_management</c> strategies that need it) while every other top-level field keeps its bytes.
/// Input must be a JSON object the parser accepted. Nothing to change (or nothing it can decode) → an identical copy.
/// </summary>
internal static class AnthropicThinkingFilter
{
    public const string AssistantPlaceholder = "(assistant content removed)";
    public const string Placeholder = "(content removed)";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Thinking disabled; thinking blocks → text blocks with their thinking text; redacted_thinking and
    /// empty text blocks dropped; a message left without content gets a placeholder text block.</summary>
    public static byte[] FilterThinkingBlocksForRetry(ReadOnlySpan<byte> body) => Filter(body, convertTools: false);

    /// <summary><see cref="FilterThinkingBlocksForRetry"/>, and tool_use/tool_result blocks → text blocks describing them.</summary>
    public static byte[] FilterSignatureSensitiveBlocksForRetry(ReadOnlySpan<byte> body) => Filter(body, convertTools: true);

    /// <summary>
    /// isThinkingBlockSignatureError: the message mentions "signature"; or "expected" with thinking/redacted_thinking;
    /// or "cannot be modified" with thinking; or "non-empty content"/"empty content". Case-insensitive.
    /// </summary>
    public static bool IsSignatureError(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return false;
        }
        var m = message.ToLowerInvariant();
        return m.Contains("signature", StringComparison.Ordinal)
            || (m.Contains("expected", StringComparison.Ordinal) && m.Contains("thinking", StringComparison.Ordinal))
            || (m.Contains("cannot be modified", StringComparison.Ordinal) && m.Contains("thinking", StringComparison.Ordinal))
            || m.Contains("empty content", StringComparison.Ordinal);
    }

    /// <summary>Whether the error points at tool blocks (tool_use, tool_result, function call), which justifies the
    /// stronger <see cref="FilterSignatureSensitiveBlocksForRetry"/>.</summary>
    public static bool MentionsTools(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return false;
        }
        var m = message.ToLowerInvariant();
        return m.Contains("tool_use", StringComparison.Ordinal) || m.Contains("tool_result", StringComparison.Ordinal)
            || m.Contains("functioncall", StringComparison.Ordinal) || m.Contains("function_call", StringComparison.Ordinal)
            || m.Contains("function call", StringComparison.Ordinal);
    }

    private static byte[] Filter(ReadOnlySpan<byte> body, bool convertTools)
    {
        try
        {
            return FilterCore(body, convertTools);
        }
        catch (InvalidOperationException)
        {
            // A string the filter must decode (a role, a block type, thinking text, a tool name) holds a lone
            // surrogate escape: no retry, so the client gets the upstream's 400 as it came.
            return body.ToArray();
        }
    }

    private static byte[] FilterCore(ReadOnlySpan<byte> body, bool convertTools)
    {
        var properties = JsonBytes.Properties(body, out _);
        var remove = new bool[properties.Count];
        var edits = new List<ByteEdit>();
        var thinkingRemoved = false;
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].Name == "thinking")
            {
                remove[i] = thinkingRemoved = true;
            }
        }
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var value = body[property.ValueStart..property.ValueEnd];
            if (property.Name == "messages" && property.Kind == JsonTokenType.StartArray
                && RewriteMessages(value, convertTools) is { } messages)
            {
                edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, messages));
            }
            else if (thinkingRemoved && property.Name == "context_management" && property.Kind == JsonTokenType.StartObject
                && RemoveThinkingStrategies(value) is { } contextManagement)
            {
                edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, contextManagement));
            }
        }
        JsonBytes.RemoveProperties(properties, remove, edits);
        return edits.Count == 0 ? body.ToArray() : JsonBytes.Splice(body, [.. edits.OrderBy(e => e.Start)]);
    }

    /// <summary>The new messages array, or null when no message changes.</summary>
    private static byte[]? RewriteMessages(ReadOnlySpan<byte> messagesJson, bool convertTools)
    {
        using var document = JsonDocument.Parse(messagesJson.ToArray());
        var buffer = new ArrayBufferWriter<byte>(messagesJson.Length);
        var changed = false;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var message in document.RootElement.EnumerateArray())
            {
                changed |= WriteMessage(writer, message, convertTools);
            }
            writer.WriteEndArray();
        }
        return changed ? buffer.WrittenSpan.ToArray() : null;
    }

    /// <summary>Writes the message (raw when unchanged); true when it changed.</summary>
    private static bool WriteMessage(Utf8JsonWriter writer, JsonElement message, bool convertTools)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content"u8, out var content)
            || content.ValueKind != JsonValueKind.Array)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(message), skipInputValidation: true);
            return false;
        }
        // First pass: does any block change? Most messages are left as they are.
        var changes = content.GetArrayLength() == 0;
        foreach (var block in content.EnumerateArray())
        {
            changes |= Classify(block, convertTools) != BlockAction.Keep;
        }
        if (!changes)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(message), skipInputValidation: true);
            return false;
        }
        var role = message.TryGetProperty("role"u8, out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        writer.WriteStartObject();
        foreach (var property in message.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            if (!property.NameEquals("content"u8))
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
                continue;
            }
            writer.WriteStartArray();
            var written = 0;
            foreach (var block in property.Value.EnumerateArray())
            {
                written += WriteBlock(writer, block, convertTools) ? 1 : 0;
            }
            if (written == 0)
            {
                WriteText(writer, role == "assistant" ? AssistantPlaceholder : Placeholder);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        return true;
    }

    private enum BlockAction
    {
        Keep,
        Drop,
        ThinkingToText,
        ToolUseToText,
        ToolResultToText,
    }

    private static BlockAction Classify(JsonElement block, bool convertTools)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return BlockAction.Keep;
        }
        var type = block.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return type switch
        {
            "thinking" => BlockAction.ThinkingToText,
            "redacted_thinking" => BlockAction.Drop,
            "text" when block.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String
                && text.ValueEquals(""u8) => BlockAction.Drop,
            "tool_use" when convertTools => BlockAction.ToolUseToText,
            "tool_result" when convertTools => BlockAction.ToolResultToText,
            // A block without a type but with a "thinking" field is a thinking block all the same.
            null when block.TryGetProperty("thinking"u8, out _) => BlockAction.ThinkingToText,
            _ => BlockAction.Keep,
        };
    }

    /// <summary>Writes the block's replacement, if any; false when it was dropped.</summary>
    private static bool WriteBlock(Utf8JsonWriter writer, JsonElement block, bool convertTools)
    {
        switch (Classify(block, convertTools))
        {
            case BlockAction.Keep:
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(block), skipInputValidation: true);
                return true;
            case BlockAction.ThinkingToText:
                var thinking = block.GetProperty("thinking"u8);
                var text = thinking.ValueKind == JsonValueKind.String ? thinking.GetString()! : thinking.GetRawText();
                if (text.Length == 0 || thinking.ValueKind == JsonValueKind.Null)
                {
                    return false;
                }
                WriteText(writer, text);
                return true;
            case BlockAction.ToolUseToText:
                var use = "(tool_use)";
                if (String(block, "name"u8) is { Length: > 0 } name)
                {
                    use += " name=" + name;
                }
                if (String(block, "id"u8) is { Length: > 0 } id)
                {
                    use += " id=" + id;
                }
                if (block.TryGetProperty("input"u8, out var input) && input.ValueKind != JsonValueKind.Null)
                {
                    use += " input=" + input.GetRawText();
                }
                WriteText(writer, use);
                return true;
            case BlockAction.ToolResultToText:
                var result = "(tool_result)";
                if (String(block, "tool_use_id"u8) is { Length: > 0 } toolUseId)
                {
                    result += " tool_use_id=" + toolUseId;
                }
                if (block.TryGetProperty("is_error"u8, out var isError) && isError.ValueKind == JsonValueKind.True)
                {
                    result += " is_error=true";
                }
                if (block.TryGetProperty("content"u8, out var resultContent) && resultContent.ValueKind != JsonValueKind.Null)
                {
                    result += "\n" + resultContent.GetRawText();
                }
                WriteText(writer, result);
                return true;
            default:
                return false;
        }
    }

    private static string? String(JsonElement block, ReadOnlySpan<byte> name) =>
        block.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Without top-level thinking, context_management strategies that require it (clear_thinking_*) make the
    /// upstream answer 400 again: drop them (and an emptied <c>edits</c>). Null when there is none.
    /// </summary>
    private static byte[]? RemoveThinkingStrategies(ReadOnlySpan<byte> contextManagement)
    {
        if (!JsonBytes.TryFind(contextManagement, "edits"u8, out var edits, out _) || edits.Kind != JsonTokenType.StartArray)
        {
            return null;
        }
        using var document = JsonDocument.Parse(contextManagement[edits.Start..edits.End].ToArray());
        var kept = new List<JsonElement>();
        foreach (var edit in document.RootElement.EnumerateArray())
        {
            var type = edit.ValueKind == JsonValueKind.Object ? String(edit, "type"u8) : null;
            if (type is null || !type.StartsWith("clear_thinking", StringComparison.Ordinal))
            {
                kept.Add(edit);
            }
        }
        if (kept.Count == document.RootElement.GetArrayLength())
        {
            return null;
        }
        if (kept.Count == 0)
        {
            var properties = JsonBytes.Properties(contextManagement, out _);
            var remove = properties.Select(p => p.Name == "edits").ToArray();
            var removal = new List<ByteEdit>();
            JsonBytes.RemoveProperties(properties, remove, removal);
            return JsonBytes.Splice(contextManagement, CollectionsMarshal.AsSpan(removal));
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var edit in kept)
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(edit), skipInputValidation: true);
            }
            writer.WriteEndArray();
        }
        return JsonBytes.Splice(contextManagement, new ByteEdit(edits.Start, edits.End, buffer.WrittenSpan.ToArray()));
    }
}

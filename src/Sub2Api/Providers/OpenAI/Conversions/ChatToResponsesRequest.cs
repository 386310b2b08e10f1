using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// A Chat Completions request body → a Responses request body, for upstreams (ChatGPT subscription accounts)
/// that only speak the Responses API. Fields without a Responses equivalent (stop, n = 1, seed, penalties,
/// logprobs, stream_options…) are dropped rather than rejected, so ordinary chat clients keep working.
/// </summary>
internal static class ChatToResponsesRequest
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Relaxed escaping keeps non-ASCII text as UTF-8 instead of \u escapes: smaller, and the body is
    /// JSON sent to an API, never embedded in HTML.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Converts a Chat Completions request body to a Responses request body. Null and a message meant for the
    /// client (HTTP 400) when the body is not a usable chat request.
    /// </summary>
    public static byte[]? Convert(ReadOnlySpan<byte> chatBody, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(chatBody.ToArray(), DocumentOptions);
        }
        catch (JsonException)
        {
            error = "the request body is not valid JSON";
            return null;
        }
        using (document)
        {
            try
            {
                var body = Write(document.RootElement);
                error = null;
                return body;
            }
            catch (ChatRequestException e)
            {
                error = e.Message;
                return null;
            }
        }
    }

    private static byte[] Write(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException("the request body must be a JSON object");
        }
        if (ChatJson.TryGet(root, "n", out var n) && (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out var choices) || choices != 1))
        {
            throw new ChatRequestException("n must be 1: only one choice is supported");
        }
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (ChatJson.OptionalString(root, "model", "request") is { } model)
            {
                writer.WriteString("model", model);
            }
            root.TryGetProperty("messages", out var messages);
            ChatMessagesToInput.Write(writer, messages);
            WriteMaxOutputTokens(writer, root);
            WriteReasoning(writer, root);
            ChatToolsToResponses.WriteTools(writer, root);
            ChatToolsToResponses.WriteToolChoice(writer, root);
            ChatTextFormat.Write(writer, root);
            CopyIf(writer, root, "temperature", JsonValueKind.Number);
            CopyIf(writer, root, "top_p", JsonValueKind.Number);
            CopyIf(writer, root, "user", JsonValueKind.String);
            CopyIf(writer, root, "parallel_tool_calls", JsonValueKind.True);
            CopyIf(writer, root, "metadata", JsonValueKind.Object);
            // Both exist in Chat Completions with the same meaning; the cache key keeps prompt caching effective.
            CopyIf(writer, root, "prompt_cache_key", JsonValueKind.String);
            CopyIf(writer, root, "service_tier", JsonValueKind.String);
            CopyIf(writer, root, "stream", JsonValueKind.True);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>max_completion_tokens</c> replaced the deprecated <c>max_tokens</c>, so it wins when both are sent.</summary>
    private static void WriteMaxOutputTokens(Utf8JsonWriter writer, JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (!ChatJson.TryGet(root, name, out var value))
            {
                continue;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var tokens) || tokens <= 0)
            {
                throw new ChatRequestException($"{name} must be a positive integer");
            }
            writer.WriteNumber("max_output_tokens", tokens);
            return;
        }
    }

    /// <summary>The summary is asked for so the reasoning can be streamed back as <c>reasoning_content</c>.</summary>
    private static void WriteReasoning(Utf8JsonWriter writer, JsonElement root)
    {
        if (ChatJson.OptionalString(root, "reasoning_effort", "request") is not { } effort)
        {
            return;
        }
        writer.WriteStartObject("reasoning");
        writer.WriteString("effort", effort);
        writer.WriteString("summary", "auto");
        writer.WriteEndObject();
    }

    /// <summary>Copies a field of the expected kind (True stands for either boolean); null counts as absent.</summary>
    private static void CopyIf(Utf8JsonWriter writer, JsonElement root, string name, JsonValueKind kind)
    {
        if (!ChatJson.TryGet(root, name, out var value))
        {
            return;
        }
        var matches = kind == JsonValueKind.True
            ? value.ValueKind is JsonValueKind.True or JsonValueKind.False
            : value.ValueKind == kind;
        if (!matches)
        {
            throw new ChatRequestException($"{name} must be {KindName(kind)}");
        }
        writer.WritePropertyName(name);
        value.WriteTo(writer);
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True => "a boolean",
        _ => "an object",
    };
}

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// A final Responses <c>response</c> object → a <c>chat.completion</c> body with one choice: the message texts
/// concatenated, function_call items as <c>tool_calls</c>, the reasoning summary as <c>reasoning_content</c>.
/// </summary>
internal static class ResponsesToChatResponse
{
    /// <summary>Separates reasoning summary parts, which the model writes as separate paragraphs.</summary>
    internal const string ReasoningSeparator = "\n\n";

    private sealed record ToolCall(string Id, string Name, string Arguments);

    /// <param name="responseObject">The <c>response</c> JSON object (e.g. the one response.completed carries).
    /// Missing fields are tolerated; bytes that are not JSON throw <see cref="JsonException"/>.</param>
    /// <param name="clientModel">The model the client asked for, reported back as <c>model</c>.</param>
    public static byte[] Convert(ReadOnlySpan<byte> responseObject, string clientModel)
    {
        using var document = JsonDocument.Parse(responseObject.ToArray());
        var response = document.RootElement;
        var text = new StringBuilder();
        var refusal = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new List<ToolCall>();
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("output", out var output)
            && output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                Collect(item, text, refusal, reasoning, toolCalls);
            }
        }

        var buffer = new ArrayBufferWriter<byte>(1024 + text.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, ChatToResponsesRequest.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", ChatCompletionFields.Id(response));
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", ChatCompletionFields.Created(response));
            writer.WriteString("model", clientModel);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            WriteMessage(writer, text, refusal, reasoning, toolCalls);
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", ChatCompletionFields.FinishReason(response, toolCalls.Count > 0));
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("usage", out var usage)
                && usage.ValueKind == JsonValueKind.Object)
            {
                ChatUsage.FromResponses(usage).WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Collect(JsonElement item, StringBuilder text, StringBuilder refusal, StringBuilder reasoning, List<ToolCall> toolCalls)
    {
        switch (ChatCompletionFields.String(item, "type"))
        {
            case "message":
                foreach (var part in Array(item, "content"))
                {
                    switch (ChatCompletionFields.String(part, "type"))
                    {
                        case "output_text":
                            text.Append(ChatCompletionFields.String(part, "text"));
                            break;
                        case "refusal":
                            refusal.Append(ChatCompletionFields.String(part, "refusal"));
                            break;
                    }
                }
                break;
            case "function_call":
                toolCalls.Add(new ToolCall(
                    ChatCompletionFields.String(item, "call_id") ?? ChatCompletionFields.String(item, "id") ?? "",
                    ChatCompletionFields.String(item, "name") ?? "",
                    ChatCompletionFields.String(item, "arguments") ?? ""));
                break;
            case "reasoning":
                // The summary is what the API returns for hidden reasoning; raw reasoning_text only when no summary.
                var parts = Array(item, "summary");
                if (parts.Count == 0)
                {
                    parts = Array(item, "content");
                }
                foreach (var part in parts)
                {
                    if (ChatCompletionFields.String(part, "text") is { Length: > 0 } summary)
                    {
                        reasoning.Append(reasoning.Length > 0 ? ReasoningSeparator : "").Append(summary);
                    }
                }
                break;
        }
    }

    /// <summary>content is null when the turn only called tools, as OpenAI's chat endpoint answers.</summary>
    private static void WriteMessage(
        Utf8JsonWriter writer, StringBuilder text, StringBuilder refusal, StringBuilder reasoning, List<ToolCall> toolCalls)
    {
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        if (text.Length == 0 && toolCalls.Count > 0)
        {
            writer.WriteNull("content");
        }
        else
        {
            writer.WriteString("content", text.ToString());
        }
        if (refusal.Length > 0)
        {
            writer.WriteString("refusal", refusal.ToString());
        }
        if (reasoning.Length > 0)
        {
            writer.WriteString("reasoning_content", reasoning.ToString());
        }
        if (toolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in toolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static List<JsonElement> Array(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray()]
            : [];
}

using System.Buffers;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// Translates an upstream Responses SSE stream into Chat Completions chunks, one line at a time. The event type
/// is read from the data JSON (<c>event:</c> lines repeat it), and everything after the terminal event is
/// ignored: the client's stream ends with exactly one <c>data: [DONE]</c>.
/// </summary>
internal sealed partial class ResponsesToChatStream(string clientModel, bool includeUsage)
{
    /// <summary>A function call being streamed; <see cref="Index"/> is its position among the tool calls.</summary>
    private sealed class ToolCallState(int index, string? itemId, int outputIndex)
    {
        public int Index { get; } = index;

        public string? ItemId { get; } = itemId;

        public int OutputIndex { get; } = outputIndex;

        public bool ArgumentsSent { get; set; }
    }

    /// <summary>Which reasoning part a delta belongs to: a new part is a new paragraph.</summary>
    private readonly record struct ReasoningPart(string? ItemId, int Index, bool Raw);

    private readonly List<ToolCallState> _toolCalls = [];
    private string? _id;
    private long _created;
    private ReasoningPart? _lastReasoningPart;
    private bool _done;

    /// <summary>
    /// Feeds one line of the upstream stream (without its "\n"); writes the complete chat SSE events it yields.
    /// Only <c>data:</c> lines carry anything: event lines, blank lines and comments are skipped.
    /// </summary>
    public void OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        if (_done || !line.StartsWith("data:"u8))
        {
            return;
        }
        var payload = line["data:".Length..].Trim(" \t\r"u8);
        if (payload.IsEmpty || payload.SequenceEqual("[DONE]"u8))
        {
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException)
        {
            // Not an event we can read (a proxy's keep-alive, a truncated line): nothing to tell the client.
            return;
        }
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                OnEvent(document.RootElement, output);
            }
        }
    }

    /// <summary>
    /// End of the upstream stream: when no terminal event closed the client's stream, sends the finish chunk, the
    /// usage chunk (when asked for) and [DONE]. Idempotent.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (_done)
        {
            return;
        }
        EnsureStarted(default, output);
        Finish(_toolCalls.Count > 0 ? "tool_calls" : "stop", default, output);
    }

    private void OnEvent(JsonElement evt, IBufferWriter<byte> output)
    {
        var response = ChatCompletionFields.Member(evt, "response");
        switch (ChatCompletionFields.String(evt, "type"))
        {
            case "response.created" or "response.in_progress":
                EnsureStarted(response, output);
                break;
            case "response.output_text.delta":
                WriteText(output, "content", evt);
                break;
            case "response.refusal.delta":
                WriteText(output, "refusal", evt);
                break;
            case "response.reasoning_summary_text.delta":
                WriteReasoning(output, evt, new ReasoningPart(ItemId(evt), Int(evt, "summary_index"), Raw: false));
                break;
            case "response.reasoning_text.delta":
                WriteReasoning(output, evt, new ReasoningPart(ItemId(evt), Int(evt, "content_index"), Raw: true));
                break;
            case "response.output_item.added" or "response.output_item.done":
                OnFunctionCallItem(evt, output);
                break;
            case "response.function_call_arguments.delta":
                if (FindToolCall(evt) is { } call && ChatCompletionFields.String(evt, "delta") is { Length: > 0 } delta)
                {
                    call.ArgumentsSent = true;
                    WriteToolCallChunk(output, call.Index, null, null, delta);
                }
                break;
            case "response.function_call_arguments.done":
                // Some upstreams send the arguments only whole, in the done event.
                if (FindToolCall(evt) is { ArgumentsSent: false } whole && ChatCompletionFields.String(evt, "arguments") is { Length: > 0 } args)
                {
                    whole.ArgumentsSent = true;
                    WriteToolCallChunk(output, whole.Index, null, null, args);
                }
                break;
            case "response.completed" or "response.done" or "response.incomplete":
                EnsureStarted(response, output);
                Finish(ChatCompletionFields.FinishReason(response, _toolCalls.Count > 0), response, output);
                break;
            case "response.failed":
                Fail(null, ChatCompletionFields.Member(response, "error"), output);
                break;
            case "error":
                // The error event is flat ({type:"error", code, message}); some upstreams nest an OpenAI error object.
                var nested = ChatCompletionFields.Member(evt, "error");
                if (nested.ValueKind == JsonValueKind.Object)
                {
                    Fail(ChatCompletionFields.String(nested, "type"), nested, output);
                }
                else
                {
                    Fail(null, evt, output);
                }
                break;
        }
    }

    /// <summary>
    /// A function call is announced by output_item.added (name and call id; arguments follow as deltas). The done
    /// event repeats the whole item and covers an upstream that skipped the added event or the deltas.
    /// </summary>
    private void OnFunctionCallItem(JsonElement evt, IBufferWriter<byte> output)
    {
        var item = ChatCompletionFields.Member(evt, "item");
        if (ChatCompletionFields.String(item, "type") != "function_call")
        {
            return;
        }
        var arguments = ChatCompletionFields.String(item, "arguments");
        var call = FindToolCall(ChatCompletionFields.String(item, "id"), Int(evt, "output_index"));
        if (call is null)
        {
            EnsureStarted(default, output);
            call = new ToolCallState(_toolCalls.Count, ChatCompletionFields.String(item, "id"), Int(evt, "output_index"));
            _toolCalls.Add(call);
            call.ArgumentsSent = !string.IsNullOrEmpty(arguments);
            WriteToolCallChunk(output, call.Index,
                ChatCompletionFields.String(item, "call_id") ?? call.ItemId ?? "", ChatCompletionFields.String(item, "name") ?? "",
                arguments ?? "");
        }
        else if (!call.ArgumentsSent && !string.IsNullOrEmpty(arguments))
        {
            call.ArgumentsSent = true;
            WriteToolCallChunk(output, call.Index, null, null, arguments);
        }
    }

    private ToolCallState? FindToolCall(JsonElement evt) => FindToolCall(ItemId(evt), Int(evt, "output_index"));

    private ToolCallState? FindToolCall(string? itemId, int outputIndex)
    {
        foreach (var call in _toolCalls)
        {
            if (itemId is not null && call.ItemId is not null ? call.ItemId == itemId : call.OutputIndex == outputIndex)
            {
                return call;
            }
        }
        return null;
    }

    private void WriteText(IBufferWriter<byte> output, string field, JsonElement evt)
    {
        if (ChatCompletionFields.String(evt, "delta") is { Length: > 0 } delta)
        {
            EnsureStarted(default, output);
            WriteDeltaChunk(output, field, delta);
        }
    }

    /// <summary>Parts of the reasoning are separate paragraphs; the blank line between them keeps them apart.</summary>
    private void WriteReasoning(IBufferWriter<byte> output, JsonElement evt, ReasoningPart part)
    {
        if (ChatCompletionFields.String(evt, "delta") is not { Length: > 0 } delta)
        {
            return;
        }
        EnsureStarted(default, output);
        if (_lastReasoningPart is { } last && last != part)
        {
            delta = ResponsesToChatResponse.ReasoningSeparator + delta;
        }
        _lastReasoningPart = part;
        WriteDeltaChunk(output, "reasoning_content", delta);
    }

    /// <summary>Fixes the stream's id and created time and sends the opening role chunk, once.</summary>
    private void EnsureStarted(JsonElement response, IBufferWriter<byte> output)
    {
        if (_id is not null)
        {
            return;
        }
        _id = ChatCompletionFields.Id(ChatCompletionFields.String(response, "id"));
        _created = ChatCompletionFields.Created(response);
        WriteRoleChunk(output);
    }

    private void Finish(string finishReason, JsonElement response, IBufferWriter<byte> output)
    {
        WriteFinishChunk(output, finishReason);
        if (includeUsage)
        {
            // A stream cut before its terminal event reports zeros rather than leaving the client without usage.
            WriteUsageChunk(output, ChatUsage.FromResponses(ChatCompletionFields.Member(response, "usage")));
        }
        WriteDone(output);
    }

    private void Fail(string? type, JsonElement error, IBufferWriter<byte> output)
    {
        WriteErrorEvent(output, type, error);
        WriteDone(output);
    }

    private static string? ItemId(JsonElement evt) => ChatCompletionFields.String(evt, "item_id");

    private static int Int(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : -1;
}

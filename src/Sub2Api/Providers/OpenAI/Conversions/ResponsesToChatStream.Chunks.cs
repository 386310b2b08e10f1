using System.Buffers;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// The chunks themselves. Each is one complete SSE event (<c>data: {json}\n\n</c>) written straight into the
/// relay's buffer; every chunk carries the stream's id, created time and the model the client asked for.
/// </summary>
internal sealed partial class ResponsesToChatStream
{
    private void WriteRoleChunk(IBufferWriter<byte> output)
    {
        using var json = StartChunk(output);
        StartDelta(json);
        json.WriteString("role", "assistant");
        json.WriteString("content", "");
        EndChunk(json, output, null);
    }

    private void WriteDeltaChunk(IBufferWriter<byte> output, string field, string text)
    {
        using var json = StartChunk(output);
        StartDelta(json);
        json.WriteString(field, text);
        EndChunk(json, output, null);
    }

    /// <summary>The first chunk of a call names it (id, name); later ones only extend its arguments.</summary>
    private void WriteToolCallChunk(IBufferWriter<byte> output, int index, string? id, string? name, string arguments)
    {
        using var json = StartChunk(output);
        StartDelta(json);
        json.WriteStartArray("tool_calls");
        json.WriteStartObject();
        json.WriteNumber("index", index);
        if (id is not null)
        {
            json.WriteString("id", id);
            json.WriteString("type", "function");
        }
        json.WriteStartObject("function");
        if (name is not null)
        {
            json.WriteString("name", name);
        }
        json.WriteString("arguments", arguments);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        EndChunk(json, output, null);
    }

    private void WriteFinishChunk(IBufferWriter<byte> output, string finishReason)
    {
        using var json = StartChunk(output);
        StartDelta(json);
        EndChunk(json, output, finishReason);
    }

    /// <summary>As OpenAI sends it for stream_options.include_usage: a last chunk with no choices.</summary>
    private void WriteUsageChunk(IBufferWriter<byte> output, ChatUsage usage)
    {
        using var json = StartEvent(output);
        WriteEnvelope(json);
        json.WriteStartArray("choices");
        json.WriteEndArray();
        usage.WriteTo(json);
        json.WriteEndObject();
        EndEvent(json, output);
    }

    /// <summary>The OpenAI error shape; type defaults to server_error, the type OpenAI uses for its own failures.</summary>
    private static void WriteErrorEvent(IBufferWriter<byte> output, string? type, JsonElement error)
    {
        using var json = StartEvent(output);
        json.WriteStartObject("error");
        json.WriteString("type", type ?? "server_error");
        json.WriteString("message", ChatCompletionFields.String(error, "message") ?? "the upstream response failed");
        var code = ChatCompletionFields.Member(error, "code");
        json.WritePropertyName("code");
        if (code.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            code.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        EndEvent(json, output);
    }

    private void WriteDone(IBufferWriter<byte> output)
    {
        output.Write("data: [DONE]\n\n"u8);
        _done = true;
    }

    private Utf8JsonWriter StartChunk(IBufferWriter<byte> output)
    {
        var json = StartEvent(output);
        WriteEnvelope(json);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        return json;
    }

    private static void StartDelta(Utf8JsonWriter json) => json.WriteStartObject("delta");

    private static void EndChunk(Utf8JsonWriter json, IBufferWriter<byte> output, string? finishReason)
    {
        json.WriteEndObject();
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        EndEvent(json, output);
    }

    private void WriteEnvelope(Utf8JsonWriter json)
    {
        json.WriteString("id", _id);
        json.WriteString("object", "chat.completion.chunk");
        json.WriteNumber("created", _created);
        json.WriteString("model", clientModel);
    }

    private static Utf8JsonWriter StartEvent(IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        var json = new Utf8JsonWriter(output, ChatToResponsesRequest.WriterOptions);
        json.WriteStartObject();
        return json;
    }

    /// <summary>Flushing commits the JSON to <paramref name="output"/> before the event's blank line follows it.</summary>
    private static void EndEvent(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        json.Flush();
        output.Write("\n\n"u8);
    }
}

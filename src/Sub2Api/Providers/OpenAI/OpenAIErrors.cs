using System.Buffers;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Errors on the OpenAI routes, in OpenAI's shape <c>{"error":{"type","message","code"}}</c>, and the
/// upstream error policy of the OpenAI relay.</summary>
internal static class OpenAIErrors
{
    /// <summary>The in-band error of an upstream stream that ended before its terminal event.</summary>
    public const string TruncatedStreamType = "upstream_error";

    public const string TruncatedStreamMessage = "Upstream stream ended before the response was complete";

    /// <summary>
    /// A same-account retry is worth it only for a transient server error (500, 502, 503, 504): a 429 says this
    /// account is benched (another account is the answer), 401/402/403 say its credentials or plan are the
    /// problem, and other 4xx would fail the same way again.
    /// </summary>
    public static bool ShouldRetrySameAccount(int status) => status is 500 or 502 or 503 or 504;

    /// <summary>The client-facing error for an upstream status that is not passed through. The same table as the
    /// Anthropic routes, except an overloaded upstream (529) is an <c>upstream_error</c>: OpenAI has no overloaded
    /// type and its SDKs key on the status, not the type.</summary>
    public static (int Status, string Type, string Message) MapForClient(int upstreamStatus) => upstreamStatus switch
    {
        401 => (502, "upstream_error", "Upstream authentication failed, please contact administrator"),
        403 => (502, "upstream_error", "Upstream access forbidden, please contact administrator"),
        429 => (429, "rate_limit_error", "Upstream rate limit exceeded, please retry later"),
        529 => (503, "upstream_error", "Upstream service overloaded, please retry later"),
        500 or 502 or 503 or 504 => (502, "upstream_error", "Upstream service temporarily unavailable"),
        _ => (502, "upstream_error", "Upstream request failed"),
    };

    /// <summary><c>{"error":{"type":…,"message":…,"code":…}}</c> as UTF-8 (a null code is written as null).</summary>
    public static byte[] Json(string type, string message, string? code = null)
    {
        var buffer = new ArrayBufferWriter<byte>(96 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteErrorObject(writer, type, message, code);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The error for a Responses stream, as two events. First <c>response.failed</c> with
    /// <c>response.error {code, message}</c>: Codex CLI ignores <c>error</c> events (it would only report "stream
    /// closed before response.completed") but shows and classifies a failed response's error. Then the documented
    /// <c>error</c> event (<c>{"type":"error","code","message","param"}</c>) plus an <c>error</c> object in the JSON
    /// shape, which the openai SDKs raise as a stream error.
    /// </summary>
    public static byte[] ResponsesSseEvent(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(384 + 3 * message.Length);
        buffer.Write("event: response.failed\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "response.failed"u8);
            writer.WriteStartObject("response"u8);
            writer.WriteString("id"u8, "resp_gateway_error"u8);
            writer.WriteString("object"u8, "response"u8);
            writer.WriteString("status"u8, "failed"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("code"u8, type);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
            writer.WriteStartArray("output"u8);
            writer.WriteEndArray();
            writer.WriteNull("usage"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        buffer.Write("\n\nevent: error\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteString("code"u8, type);
            writer.WriteString("message"u8, message);
            writer.WriteNull("param"u8);
            WriteErrorObject(writer, type, message, code: null);
            writer.WriteEndObject();
        }
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The error as one Chat Completions SSE chunk: <c>data: {"error":{…}}\n\n</c> (what OpenAI sends and
    /// the SDKs raise on).</summary>
    public static byte[] ChatSseEvent(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        buffer.Write("data: "u8);
        buffer.Write(Json(type, message));
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The upstream's own error type (<c>error.type</c>), or null (the error path only: a DOM is fine).</summary>
    public static string? ExtractType(ReadOnlySpan<byte> body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The upstream's error message: <c>error.message</c> (or <c>error</c> when it is a string), else the top-level
    /// <c>message</c>, else <c>detail</c> (the ChatGPT backend answers <c>{"detail":"…"}</c>), else "".
    /// </summary>
    public static string ExtractMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "";
            }
            string? error = null, message = null, detail = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    error = MessageOf(ref reader);
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    message = StringValue(ref reader);
                }
                else if (reader.ValueTextEquals("detail"u8))
                {
                    detail = StringValue(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            return First(error, message, detail);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary>The message of the error value the reader is on: a string itself, or an object's
    /// <c>message</c>. The reader ends on the value's last token.</summary>
    public static string? MessageOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                message = StringValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return message;
    }

    private static string? StringValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        reader.Skip();
        return null;
    }

    private static string First(params ReadOnlySpan<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate;
            }
        }
        return "";
    }

    private static void WriteErrorObject(Utf8JsonWriter writer, string type, string message, string? code)
    {
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        if (code is null)
        {
            writer.WriteNull("code"u8);
        }
        else
        {
            writer.WriteString("code"u8, code);
        }
        writer.WriteEndObject();
    }
}

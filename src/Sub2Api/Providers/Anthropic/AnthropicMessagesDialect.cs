using System.Buffers;
using System.Text.Json;
using Sub2Api.Relay;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Anthropic's error shapes: <c>{"type":"error","error":{"type","message"}}</c> (plus the gateway's <c>code</c> when it
/// has one), the same as an <c>event: error</c>, and Anthropic's ping event as the keep-alive.
/// </summary>
internal sealed class AnthropicMessagesDialect : IClientDialect
{
    public static readonly AnthropicMessagesDialect Instance = new();

    private static readonly byte[] PingEvent = "event: ping\ndata: {\"type\": \"ping\"}\n\n"u8.ToArray();

    public ReadOnlyMemory<byte> Ping => PingEvent;

    public byte[] ErrorJson(string type, string message, string? code = null)
    {
        if (code is null)
        {
            return AnthropicErrors.Json(type, message);
        }
        var buffer = new ArrayBufferWriter<byte>(112 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, type);
            writer.WriteString("message"u8, message);
            writer.WriteString("code"u8, code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public byte[] ErrorSseEvent(string type, string message) => AnthropicErrors.SseEvent(type, message);
}

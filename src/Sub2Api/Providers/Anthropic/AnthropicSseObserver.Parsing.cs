using System.Text.Json;

namespace Sub2Api.Providers.Anthropic;

/// <summary>The JSON side of <see cref="AnthropicSseObserver"/>: one pass over a data payload, no allocations.</summary>
internal sealed partial class AnthropicSseObserver
{
    private ReadOnlySpan<byte> Parse(ReadOnlySpan<byte> line, int offset, ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return line;
        }

        var kind = EventKind.Unknown;
        var usage = default(AnthropicResponseJson.UsageFields);
        var model = new ModelToken(-1, -1, null, false);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = KindOf(ref reader);
                if (kind == EventKind.Other)
                {
                    // Deltas and pings carry nothing we need; stop before reading their text.
                    return line;
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                ReadMessage(ref reader, ref usage, ref model);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                AnthropicResponseJson.ReadUsage(ref reader, ref usage);
            }
            else
            {
                reader.Skip();
            }
        }

        switch (kind)
        {
            case EventKind.MessageStart:
                return ApplyMessageStart(line, offset, in usage, in model);
            case EventKind.MessageDelta:
                ApplyMessageDelta(in usage);
                break;
            case EventKind.MessageStop:
                SawMessageStop = true;
                break;
        }

        return line;
    }

    private static EventKind KindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return EventKind.Other;
        }

        if (reader.ValueTextEquals("message_start"u8))
        {
            return EventKind.MessageStart;
        }

        if (reader.ValueTextEquals("message_delta"u8))
        {
            return EventKind.MessageDelta;
        }

        return reader.ValueTextEquals("message_stop"u8) ? EventKind.MessageStop : EventKind.Other;
    }

    private void ReadMessage(ref Utf8JsonReader reader, ref AnthropicResponseJson.UsageFields usage, ref ModelToken model)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                AnthropicResponseJson.ReadUsage(ref reader, ref usage);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    // Only message_start has a "message" object, so this allocates once per stream.
                    model = new ModelToken(
                        (int)reader.TokenStartIndex,
                        (int)reader.BytesConsumed,
                        reader.GetString(),
                        _mapFrom is not null && reader.ValueTextEquals(_mapFrom));
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Where message.model sits inside the payload, and whether it is the model to map back.</summary>
    private readonly record struct ModelToken(int Start, int End, string? Value, bool MatchesMapFrom);
}

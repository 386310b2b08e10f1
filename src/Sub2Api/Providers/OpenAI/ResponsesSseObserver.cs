using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// Watches one streamed Responses answer: the relay copies the upstream bytes to the client unchanged and feeds
/// each complete line (without its newline) here. A text delta costs two vectorised substring searches and no JSON
/// parse: only a data line that contains a quoted <c>"response.completed"</c>-style type marker or <c>"error"</c>
/// is parsed, and the parse then checks the event's top-level <c>type</c> — so a delta whose text happens to be
/// "response.completed" is recognised as the delta it is.
/// </summary>
/// <param name="collectFinal">Keep the raw <c>response</c> object of the final event (for a client that asked for
/// JSON while the upstream streamed).</param>
internal sealed class ResponsesSseObserver(bool collectFinal = false)
{
    private enum Kind { Other, Preamble, Terminal, Failed, Error }

    private static ReadOnlySpan<byte> TypePrefix => "\"response."u8;

    /// <summary>Usage of the final event (zero until one arrives).</summary>
    public TokenUsage Usage { get; private set; }

    /// <summary>A final event carried a usage object.</summary>
    public bool HasUsage { get; private set; }

    /// <summary>A non-empty <c>data:</c> line arrived.</summary>
    public bool SawFirstData { get; private set; }

    /// <summary>response.completed, response.done or response.incomplete arrived: the answer is whole.</summary>
    public bool SawCompleted { get; private set; }

    /// <summary>A <c>response.failed</c> or <c>error</c> event (or an <c>event: error</c> line) arrived.</summary>
    public bool SawErrorEvent { get; private set; }

    /// <summary>
    /// True while every event so far was response.created / response.in_progress (or a failure): the client has seen
    /// nothing it would miss if the relay retried the request on another account. The first other event (an output
    /// item, a delta) makes it false for good. Failures leave it as it is, because they are what a retry handles.
    /// </summary>
    public bool InPreamble { get; private set; } = true;

    /// <summary>The message of response.failed (<c>response.error.message</c>) or of an error event.</summary>
    public string? FailureMessage { get; private set; }

    /// <summary>The raw <c>response</c> object of the final event; only kept when constructed with
    /// <c>collectFinal: true</c>.</summary>
    public byte[]? CompletedResponse { get; private set; }

    public void Observe(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("data:"u8))
        {
            ObserveData(line["data:".Length..].Trim(" \t\r"u8));
        }
        else if (line.StartsWith("event:"u8) && line["event:".Length..].Trim(" \t\r"u8).SequenceEqual("error"u8))
        {
            SawErrorEvent = true;
        }
    }

    private void ObserveData(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.SequenceEqual("[DONE]"u8))
        {
            return;
        }
        SawFirstData = true;
        var candidate = MarkerKind(payload);
        if (candidate == Kind.Other && payload.IndexOf("\"error\""u8) < 0)
        {
            // Nothing billing or failure related, and certainly not a preamble event.
            InPreamble = false;
            return;
        }
        try
        {
            Parse(payload);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not the JSON we expect: forwarded untouched, counts as output the client has seen.
            InPreamble = false;
        }
    }

    /// <summary>The strongest type marker among the quoted "response.…" strings on the line (a hint only: the parse
    /// decides).</summary>
    private static Kind MarkerKind(ReadOnlySpan<byte> payload)
    {
        var kind = Kind.Other;
        var rest = payload;
        int at;
        while ((at = rest.IndexOf(TypePrefix)) >= 0)
        {
            rest = rest[(at + TypePrefix.Length)..];
            var found = Classify(rest);
            if (found > kind)
            {
                kind = found;
            }
        }
        return kind;
    }

    /// <summary>Classifies the text after "response. up to its closing quote.</summary>
    private static Kind Classify(ReadOnlySpan<byte> afterPrefix) =>
        afterPrefix.StartsWith("completed\""u8) || afterPrefix.StartsWith("done\""u8) || afterPrefix.StartsWith("incomplete\""u8)
            ? Kind.Terminal
            : afterPrefix.StartsWith("failed\""u8) ? Kind.Failed
            : afterPrefix.StartsWith("created\""u8) || afterPrefix.StartsWith("in_progress\""u8) ? Kind.Preamble
            : Kind.Other;

    private void Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            InPreamble = false;
            return;
        }
        var kind = Kind.Other;
        var typed = false;
        var hasError = false;
        Range response = default;
        string? message = null;
        string? errorMessage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                typed = reader.TokenType == JsonTokenType.String;
                kind = typed ? KindOf(ref reader) : Kind.Other;
                if (kind == Kind.Other && typed)
                {
                    // A delta, an output item…: nothing more to read.
                    InPreamble = false;
                    return;
                }
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                response = start..(int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                hasError = reader.TokenType != JsonTokenType.Null;
                errorMessage = OpenAIErrors.MessageOf(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        if (!typed && hasError)
        {
            // An untyped {"error":…} payload (a proxy's or the gateway's own stream error).
            kind = Kind.Error;
        }
        switch (kind)
        {
            case Kind.Terminal:
                InPreamble = false;
                SawCompleted = true;
                ApplyFinal(payload[response]);
                break;
            case Kind.Failed:
                SawErrorEvent = true;
                FailureMessage ??= FailedMessage(payload[response]) ?? "";
                break;
            case Kind.Error:
                SawErrorEvent = true;
                FailureMessage ??= message ?? errorMessage ?? "";
                break;
            case Kind.Preamble:
                break;
            default:
                InPreamble = false;
                break;
        }
    }

    private static Kind KindOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("response.completed"u8) || reader.ValueTextEquals("response.done"u8)
            || reader.ValueTextEquals("response.incomplete"u8) ? Kind.Terminal
        : reader.ValueTextEquals("response.failed"u8) ? Kind.Failed
        : reader.ValueTextEquals("error"u8) ? Kind.Error
        : reader.ValueTextEquals("response.created"u8) || reader.ValueTextEquals("response.in_progress"u8) ? Kind.Preamble
        : Kind.Other;

    private void ApplyFinal(ReadOnlySpan<byte> response)
    {
        if (response.IsEmpty)
        {
            return;
        }
        if (ResponsesJson.ReadUsage(response) is { } usage)
        {
            Usage = usage;
            HasUsage = true;
        }
        if (collectFinal)
        {
            CompletedResponse = response.ToArray();
        }
    }

    /// <summary><c>response.error.message</c> of a failed response.</summary>
    private static string? FailedMessage(ReadOnlySpan<byte> response)
    {
        if (response.IsEmpty)
        {
            return null;
        }
        var reader = new Utf8JsonReader(response);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                return OpenAIErrors.MessageOf(ref reader);
            }
            reader.Skip();
        }
        return null;
    }
}

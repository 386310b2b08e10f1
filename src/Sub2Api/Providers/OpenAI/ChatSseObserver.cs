using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// Watches one streamed Chat Completions answer passed through from an API-key account. Content chunks cost two
/// substring searches: only a chunk with a <c>"usage"</c> object (not <c>"usage":null</c>) or an <c>"error"</c>
/// key is parsed.
/// </summary>
internal sealed class ChatSseObserver
{
    /// <summary>Usage of the chunk that carried it (the last one, with <c>stream_options.include_usage</c>).</summary>
    public TokenUsage Usage { get; private set; }

    public bool HasUsage { get; private set; }

    public bool SawFirstData { get; private set; }

    /// <summary><c>data: [DONE]</c> arrived: the answer is whole.</summary>
    public bool SawDone { get; private set; }

    /// <summary>A <c>data: {"error":…}</c> chunk (or an <c>event: error</c> line) arrived.</summary>
    public bool SawErrorEvent { get; private set; }

    /// <summary>The message of the error chunk.</summary>
    public string? FailureMessage { get; private set; }

    /// <summary>True until the first data line that is not an error: after it the client has output it would
    /// miss on a retry.</summary>
    public bool InPreamble { get; private set; } = true;

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
        if (payload.IsEmpty)
        {
            return;
        }
        if (payload.SequenceEqual("[DONE]"u8))
        {
            SawDone = true;
            return;
        }
        SawFirstData = true;
        var mayHaveUsage = HasUsageObject(payload);
        if (!mayHaveUsage && payload.IndexOf("\"error\""u8) < 0)
        {
            InPreamble = false;
            return;
        }
        try
        {
            Parse(payload);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            InPreamble = false;
        }
    }

    /// <summary>Some <c>"usage"</c> followed by <c>:</c> and an object (a key: inside a string every quote is
    /// escaped, so <c>"usage"</c> then <c>:{</c> can only be a key, or text that the parse then rules out).</summary>
    private static bool HasUsageObject(ReadOnlySpan<byte> payload)
    {
        var rest = payload;
        int at;
        while ((at = rest.IndexOf("\"usage\""u8)) >= 0)
        {
            rest = rest[(at + "\"usage\"".Length)..];
            var after = rest.TrimStart(" \t"u8);
            if (after.Length > 0 && after[0] == (byte)':' && after[1..].TrimStart(" \t"u8) is [(byte)'{', ..])
            {
                return true;
            }
        }
        return false;
    }

    private void Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            InPreamble = false;
            return;
        }
        TokenUsage? usage = null;
        var isError = false;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                usage = ChatJson.ReadUsageValue(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                isError = reader.TokenType != JsonTokenType.Null;
                message = OpenAIErrors.MessageOf(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        if (isError)
        {
            SawErrorEvent = true;
            FailureMessage ??= message ?? "";
            return;
        }
        InPreamble = false;
        if (usage is { } value)
        {
            Usage = value;
            HasUsage = true;
        }
    }
}

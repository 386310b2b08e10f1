using System.Text;
using System.Text.Json;
using Sub2Api.Billing;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Incremental SSE observer: the relay copies upstream bytes to the client unchanged and feeds each complete
/// line (without the trailing \n / \r\n) here. Only <c>data:</c> and <c>event:</c> lines are looked at, and the
/// hot path (content_block_delta, ping) allocates nothing: the payload is read with a
/// <see cref="Utf8JsonReader"/> over the span and abandoned as soon as its <c>type</c> says it carries no usage.
/// </summary>
internal sealed partial class AnthropicSseObserver
{
    private enum EventKind { Unknown, MessageStart, MessageDelta, MessageStop, Other }

    private readonly byte[]? _mapFrom;
    private readonly byte[]? _mapToLiteral;
    private byte[] _rewriteBuffer = [];
    private AnthropicResponseJson.UsageFields _usage;
    private bool _awaitingErrorData;

    /// <param name="mapModelFrom">The model the upstream was asked for (after account model mapping).</param>
    /// <param name="mapModelTo">The model the client asked for; message_start reports this one back.</param>
    public AnthropicSseObserver(string? mapModelFrom = null, string? mapModelTo = null)
    {
        if (mapModelFrom is not null && mapModelTo is not null && mapModelFrom != mapModelTo)
        {
            _mapFrom = Encoding.UTF8.GetBytes(mapModelFrom);
            _mapToLiteral = AnthropicResponseJson.QuotedString(mapModelTo);
        }
    }

    public TokenUsage Usage => _usage.ToTokenUsage();

    public bool SawErrorEvent { get; private set; }

    /// <summary>The payload of the data line that followed <c>event: error</c> (for logs).</summary>
    public string? ErrorEventData { get; private set; }

    public bool SawFirstData { get; private set; }

    public bool SawMessageStop { get; private set; }

    /// <summary>message_start's <c>message.model</c> as the upstream sent it (before any mapping back).</summary>
    public string? UpstreamModel { get; private set; }

    /// <summary>
    /// Observes one line and returns what to forward: <paramref name="line"/> itself, or a rewritten copy (in a
    /// buffer reused by the next rewrite) when message_start's model must be mapped back.
    /// </summary>
    public ReadOnlySpan<byte> Observe(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("data:"u8))
        {
            return ObserveData(line);
        }

        if (line.StartsWith("event:"u8))
        {
            var name = line["event:".Length..].Trim(" \t\r"u8);
            _awaitingErrorData = name.SequenceEqual("error"u8);
            SawErrorEvent |= _awaitingErrorData;
        }
        else if (line.IsEmpty || (line.Length == 1 && line[0] == (byte)'\r'))
        {
            // A blank line dispatches the event: data after it no longer belongs to an error event.
            _awaitingErrorData = false;
        }

        return line;
    }

    private ReadOnlySpan<byte> ObserveData(ReadOnlySpan<byte> line)
    {
        // Go's sseDataRe is ^data:\s* — any whitespace after the colon, including none.
        var offset = "data:".Length;
        while (offset < line.Length && line[offset] is (byte)' ' or (byte)'\t')
        {
            offset++;
        }

        var payload = line[offset..];
        var trimmed = payload.TrimEnd(" \t\r"u8);
        if (_awaitingErrorData)
        {
            // The error's payload is not a token; it is kept for the log and the relay fails over.
            _awaitingErrorData = false;
            ErrorEventData ??= Encoding.UTF8.GetString(trimmed);
            return line;
        }

        if (trimmed.IsEmpty || trimmed.SequenceEqual("[DONE]"u8))
        {
            return line;
        }

        SawFirstData = true;
        try
        {
            return Parse(line, offset, payload);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON (or not the JSON we expect): forward untouched, count nothing.
            return line;
        }
    }

    private ReadOnlySpan<byte> ApplyMessageStart(
        ReadOnlySpan<byte> line, int offset, scoped in AnthropicResponseJson.UsageFields usage, scoped in ModelToken model)
    {
        // message_start's output_tokens is what the model had produced when the stream began (usually 1); a stream
        // cut before message_delta is billed for the highest count any usage report carried.
        RaiseOutput(in usage);
        _usage.Input = usage.Input;
        _usage.CacheCreation = usage.CacheCreation;
        _usage.CacheRead = usage.CacheRead;
        _usage.CacheCreation5m = usage.CacheCreation5m;
        _usage.CacheCreation1h = usage.CacheCreation1h;
        UpstreamModel = model.Value ?? UpstreamModel;

        if (!model.MatchesMapFrom || _mapToLiteral is null)
        {
            return line;
        }

        var length = line.Length - (model.End - model.Start) + _mapToLiteral.Length;
        if (_rewriteBuffer.Length < length)
        {
            _rewriteBuffer = new byte[length];
        }

        var written = AnthropicResponseJson.Splice(line, offset + model.Start, offset + model.End, _mapToLiteral, _rewriteBuffer);
        return _rewriteBuffer.AsSpan(0, written);
    }

    private void ApplyMessageDelta(in AnthropicResponseJson.UsageFields usage)
    {
        RaiseOutput(in usage);

        // GLM and other compatible upstreams report everything in message_delta; Anthropic's own values win.
        if (_usage.Input == 0)
        {
            _usage.Input = usage.Input;
        }

        if (_usage.CacheCreation == 0)
        {
            _usage.CacheCreation = usage.CacheCreation;
        }

        if (_usage.CacheRead == 0)
        {
            _usage.CacheRead = usage.CacheRead;
        }

        if (_usage.CacheCreation5m == 0 && _usage.CacheCreation1h == 0)
        {
            _usage.CacheCreation5m = usage.CacheCreation5m;
            _usage.CacheCreation1h = usage.CacheCreation1h;
        }
    }

    /// <summary>
    /// Output counts are cumulative (each report is the total so far), so the highest one seen is what the upstream
    /// produced — also when the stream is cut before its final message_delta.
    /// </summary>
    private void RaiseOutput(in AnthropicResponseJson.UsageFields usage)
    {
        if (usage.HasOutput && usage.Output > _usage.Output)
        {
            _usage.Output = usage.Output;
        }
    }
}

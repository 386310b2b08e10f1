using System.Buffers;
using Sub2Api.Billing;
using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// A Responses client served by a Responses upstream: the stream is forwarded as it is while usage is read from
/// <c>response.completed</c>. A client that asked for JSON from a ChatGPT account (whose backend only streams) gets the
/// final <c>response</c> object of the collected stream.
/// </summary>
internal sealed class ResponsesTranslator : IResponseTranslator
{
    private readonly ResponsesSseObserver _observer = new(collectFinal: false);

    public bool SawFirstData => _observer.SawFirstData;

    public bool SawErrorEvent => _observer.SawErrorEvent;

    public bool InPreamble => _observer.InPreamble;

    public TokenUsage Usage => _observer.Usage;

    public bool OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        _observer.Observe(line);
        return true;
    }

    /// <summary>
    /// An upstream stream that ended without a terminal event (completed, incomplete, failed, error) was cut: the client
    /// is told in-band, or it would take the partial answer for a whole one.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (!_observer.SawCompleted && !_observer.SawErrorEvent)
        {
            output.Write(OpenAIErrors.ResponsesSseEvent(OpenAIErrors.TruncatedStreamType, OpenAIErrors.TruncatedStreamMessage));
        }
    }

    public JsonAnswer TranslateJson(byte[] body, bool upstreamStreamed)
    {
        if (!upstreamStreamed)
        {
            return new JsonAnswer(body, ResponsesJson.ReadUsage(body) ?? default);
        }
        var collected = CollectedStream.Read(body);
        return collected.CompletedResponse is { } response && !collected.SawErrorEvent
            ? new JsonAnswer(response, collected.Usage, ContentType: "application/json")
            : new JsonAnswer(body, default, Failed: true);
    }
}

/// <summary>A whole upstream Responses stream read at once (for a client that asked for JSON).</summary>
internal static class CollectedStream
{
    public static ResponsesSseObserver Read(byte[] sse)
    {
        var observer = new ResponsesSseObserver(collectFinal: true);
        var rest = sse.AsSpan();
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            observer.Observe(line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line);
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        return observer;
    }
}

using System.Buffers;
using Sub2Api.Billing;
using Sub2Api.Providers.OpenAI.Conversions;
using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>A Chat Completions client served by an API-key account that speaks chat itself: forwarded, usage read.</summary>
internal sealed class ChatPassthroughTranslator : IResponseTranslator
{
    private readonly ChatSseObserver _observer = new();

    public bool SawFirstData => _observer.SawFirstData;

    public bool SawErrorEvent => _observer.SawErrorEvent;

    public bool InPreamble => _observer.InPreamble;

    public TokenUsage Usage => _observer.Usage;

    public bool OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        _observer.Observe(line);
        return true;
    }

    public void Complete(IBufferWriter<byte> output)
    {
    }

    public JsonAnswer TranslateJson(byte[] body, bool upstreamStreamed) => new(body, ChatJson.ReadUsage(body) ?? default);
}

/// <summary>
/// A Chat Completions client served by a ChatGPT account: the upstream's Responses stream is read for usage and
/// rewritten event by event into <c>chat.completion.chunk</c>s (ending in <c>data: [DONE]</c>); a client that asked for
/// JSON gets the collected stream as one <c>chat.completion</c>.
/// </summary>
internal sealed class ResponsesToChatTranslator(string clientModel, bool includeUsage) : IResponseTranslator
{
    private readonly ResponsesSseObserver _observer = new(collectFinal: false);
    private readonly ResponsesToChatStream _chunks = new(clientModel, includeUsage);

    public bool SawFirstData => _observer.SawFirstData;

    public bool SawErrorEvent => _observer.SawErrorEvent;

    public bool InPreamble => _observer.InPreamble;

    public TokenUsage Usage => _observer.Usage;

    public bool OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        _observer.Observe(line);
        _chunks.OnLine(line, output);
        return false;
    }

    /// <summary>
    /// A whole stream closes the chunks (finish reason, usage, <c>[DONE]</c>); a cut one (no terminal event) gets an
    /// error chunk instead, so the client does not take the partial answer for a finished one.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (!_observer.SawCompleted && !_observer.SawErrorEvent)
        {
            output.Write(OpenAIErrors.ChatSseEvent(OpenAIErrors.TruncatedStreamType, OpenAIErrors.TruncatedStreamMessage));
            return;
        }
        _chunks.Complete(output);
    }

    public JsonAnswer TranslateJson(byte[] body, bool upstreamStreamed)
    {
        var collected = CollectedStream.Read(body);
        return collected.CompletedResponse is { } response && !collected.SawErrorEvent
            ? new JsonAnswer(ResponsesToChatResponse.Convert(response, clientModel), collected.Usage, ContentType: "application/json")
            : new JsonAnswer(body, default, Failed: true);
    }
}

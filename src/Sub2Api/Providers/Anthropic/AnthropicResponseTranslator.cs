using System.Buffers;
using Sub2Api.Billing;
using Sub2Api.Relay;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Reads a Messages answer: usage from the same bytes the client gets, and the model mapped back to the one the client
/// asked for when the account mapped it. Everything else is forwarded as the upstream sent it.
/// </summary>
internal sealed class AnthropicResponseTranslator(string upstreamModel, string clientModel) : IResponseTranslator
{
    private readonly AnthropicSseObserver _observer =
        upstreamModel == clientModel ? new AnthropicSseObserver() : new AnthropicSseObserver(upstreamModel, clientModel);

    public bool SawFirstData => _observer.SawFirstData;

    public bool SawErrorEvent => _observer.SawErrorEvent;

    /// <summary>Anthropic's first event (message_start or an error) already tells: nothing is held beyond it.</summary>
    public bool InPreamble => false;

    public TokenUsage Usage => _observer.Usage;

    public bool OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        var forward = _observer.Observe(line);
        if (forward.Overlaps(line) && forward.Length == line.Length)
        {
            return true;
        }
        output.Write(forward);
        output.Write("\n"u8);
        return false;
    }

    public void Complete(IBufferWriter<byte> output)
    {
    }

    public JsonAnswer TranslateJson(byte[] body, bool upstreamStreamed)
    {
        var usage = AnthropicResponse.ReadUsage(body);
        if (upstreamModel != clientModel && AnthropicResponse.MapModelBack(body, upstreamModel, clientModel) is { } mapped)
        {
            body = mapped;
        }
        return new JsonAnswer(body, usage);
    }
}

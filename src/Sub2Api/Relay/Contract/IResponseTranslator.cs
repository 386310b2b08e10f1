using System.Buffers;
using Sub2Api.Billing;

namespace Sub2Api.Relay;

/// <summary>
/// Reads one upstream answer for the relay: usage for billing, whether it failed before anything reached the client,
/// and what the client gets — the upstream's bytes unchanged where the formats agree (the fast path), translated where
/// they do not (e.g. a Responses stream answered to a Chat Completions client). One instance per request.
/// </summary>
internal interface IResponseTranslator
{
    /// <summary>
    /// One SSE line of the upstream (without its line end). True: forward the line as it is. False: the translator
    /// wrote what replaces it — complete lines, possibly nothing — into <paramref name="output"/>.
    /// </summary>
    bool OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output);

    /// <summary>The upstream stream ended normally: whatever the client still needs (e.g. a closing event).</summary>
    void Complete(IBufferWriter<byte> output);

    /// <summary>A <c>data:</c> line has been seen (the first token's time is taken then).</summary>
    bool SawFirstData { get; }

    /// <summary>The stream carried an error event.</summary>
    bool SawErrorEvent { get; }

    /// <summary>
    /// Every event so far could be replaced by another account's answer without the client noticing (e.g. "response
    /// created"): the relay keeps holding them back, so an error that follows can still fail over.
    /// </summary>
    bool InPreamble { get; }

    /// <summary>The usage seen so far in the stream.</summary>
    TokenUsage Usage { get; }

    /// <summary>A whole upstream body for a client that asked for no stream (the upstream may still have streamed).</summary>
    JsonAnswer TranslateJson(byte[] body, bool upstreamStreamed);
}

/// <summary>The client's body, its usage, and whether the upstream's answer was in fact a failure.</summary>
/// <param name="ContentType">Null: the upstream's content type.</param>
internal readonly record struct JsonAnswer(byte[] Body, TokenUsage Usage, bool Failed = false, string? ContentType = null);

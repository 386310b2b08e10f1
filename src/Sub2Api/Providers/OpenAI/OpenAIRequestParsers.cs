using Sub2Api.Auth;
using Sub2Api.Providers.OpenAI.Conversions;
using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Reads a Responses request (<c>/v1/responses</c>, <c>/responses</c>, <c>/v1/responses/compact</c>).</summary>
internal sealed class OpenAIResponsesParser : IRequestParser
{
    public static readonly OpenAIResponsesParser Instance = new();

    public ParsedRequest? Parse(ReadOnlyMemory<byte> body, HttpRequest request, Caller caller, out string? error)
    {
        if (!OpenAIRequestParser.TryParseResponses(body, out var info, out error))
        {
            return null;
        }
        return new ParsedRequest(new OpenAIClientRequest(info!, IsChat: false), body, OpenAISessionHash.Compute(info!, request.Headers, body.Span));
    }
}

/// <summary>
/// Reads a Chat Completions request and translates it to Responses up front: a message the translation cannot
/// express is the client's mistake (a 400 now), not a failure on whichever account is picked later.
/// </summary>
internal sealed class OpenAIChatParser : IRequestParser
{
    public static readonly OpenAIChatParser Instance = new();

    public ParsedRequest? Parse(ReadOnlyMemory<byte> body, HttpRequest request, Caller caller, out string? error)
    {
        if (!OpenAIRequestParser.TryParseChat(body, out var info, out error))
        {
            return null;
        }
        if (ChatToResponsesRequest.Convert(body.Span, out error) is not { } responses)
        {
            return null;
        }
        // The session's content hash is taken over the Responses form, so a conversation keeps its account whichever
        // of the two APIs its client speaks.
        return new ParsedRequest(new OpenAIClientRequest(info!, IsChat: true, responses), body,
            OpenAISessionHash.Compute(info!, request.Headers, responses));
    }
}

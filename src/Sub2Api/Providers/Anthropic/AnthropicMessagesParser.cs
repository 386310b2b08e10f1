using Sub2Api.Auth;
using Sub2Api.Relay;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Reads a <c>/v1/messages</c> (or count_tokens) body: model, stream and the session inputs, without copying or
/// re-serialising; applies the one account-independent edit (the cache_control limit) and computes the
/// sticky-session hash.
/// </summary>
internal sealed class AnthropicMessagesParser : IRequestParser
{
    public static readonly AnthropicMessagesParser Instance = new();

    public ParsedRequest? Parse(ReadOnlyMemory<byte> body, HttpRequest request, Caller caller, out string? error)
    {
        if (!AnthropicRequestParser.TryParse(body, out var info, out error))
        {
            return null;
        }
        if (AnthropicBodyEditor.EnforceCacheControlLimit(body.Span) is { } limited)
        {
            body = limited;
        }
        return new ParsedRequest(info!, body, SessionHash.Compute(info!, request.Headers));
    }
}

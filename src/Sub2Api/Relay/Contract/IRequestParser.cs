using Sub2Api.Auth;

namespace Sub2Api.Relay;

/// <summary>What the relay needs to know of a client request, whatever its format.</summary>
internal interface IRequestInfo
{
    string Model { get; }
    bool Stream { get; }
}

/// <summary>A client request as its route's parser read it.</summary>
/// <param name="Body">The client's bytes, with only account-independent edits applied.</param>
/// <param name="SessionHash">The sticky-session key ("" for no stickiness).</param>
internal sealed record ParsedRequest(IRequestInfo Info, ReadOnlyMemory<byte> Body, string SessionHash);

/// <summary>Reads one route's request format without re-serialising it.</summary>
internal interface IRequestParser
{
    /// <summary>The parsed request, or null and a message for the client (a 400: the client's mistake).</summary>
    ParsedRequest? Parse(ReadOnlyMemory<byte> body, HttpRequest request, Caller caller, out string? error);
}

using Sub2Api.Auth;

namespace Sub2Api.Relay;

/// <summary>One client request on its way through the relay. Immutable; the body stays the client's bytes.</summary>
internal sealed record RelayRequest
{
    /// <summary>Our id for this request: slot member, usage idempotency key, and the <c>x-request-id</c> we return.</summary>
    public required string RequestId { get; init; }
    public required Caller Caller { get; init; }
    /// <summary>What the route's parser read from the body (each provider knows its own concrete type).</summary>
    public required IRequestInfo Info { get; init; }
    /// <summary>The client's body with only the account-independent edits applied.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }
    public required string SessionHash { get; init; }
    public required string Platform { get; init; }
    /// <summary>The provider of <see cref="Platform"/>, which prepares, sends and reads this request.</summary>
    public required IRelayProvider Provider { get; init; }
    /// <summary>The route's operation (see <see cref="RelayRoute.Operation"/>).</summary>
    public required string Operation { get; init; }
    public required long StartTimestamp { get; init; }
    public string Model => Info.Model;
    public bool Stream => Info.Stream;

    /// <summary>
    /// A UUIDv7 in hex: time-ordered, so each new usage row lands at the end of the unique (request_id, api_key_id)
    /// index instead of on a random page (random ids made every batch rewrite hundreds of index pages).
    /// </summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");
}

namespace Sub2Api.Relay;

/// <summary>
/// The error shapes of the API a route imitates (one per API its clients speak): a JSON
/// error response before anything was sent, an in-band SSE error event after, and the keep-alive that commits a
/// stream while the request waits for a slot.
/// </summary>
internal interface IClientDialect
{
    /// <summary>The JSON error body; <paramref name="code"/> is the gateway's machine-readable code, when it has one.</summary>
    byte[] ErrorJson(string type, string message, string? code = null);

    /// <summary>The same error as one complete SSE event (ending in a blank line).</summary>
    byte[] ErrorSseEvent(string type, string message);

    /// <summary>One complete SSE keep-alive event.</summary>
    ReadOnlyMemory<byte> Ping { get; }
}

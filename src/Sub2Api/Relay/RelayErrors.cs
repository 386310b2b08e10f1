namespace Sub2Api.Relay;

/// <summary>The gateway's own answers when no upstream answer can be passed on, the same on every route.</summary>
internal static class RelayErrors
{
    public static readonly RelayError RetriesExhausted = new(502, "upstream_error", "Upstream request failed after retries");

    public static readonly RelayError NetworkFailure = new(502, "upstream_error", "Upstream request failed");

    /// <summary>The caller may append ": &lt;detail&gt;" to the message.</summary>
    public static readonly RelayError NoAccounts = new(503, "api_error", "No available accounts");
}

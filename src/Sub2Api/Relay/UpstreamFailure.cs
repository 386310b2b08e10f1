namespace Sub2Api.Relay;

/// <summary>What the relay does with an upstream outcome (a provider's <see cref="IRelayProvider.Classify"/> decides).</summary>
internal enum UpstreamFailure
{
    None,
    BadRequest,
    AuthRejected,
    Forbidden,
    RateLimited,
    Overloaded,
    ServerError,
    OtherClientError,
    StreamError,
    NetworkError,
    Timeout,
}

/// <summary>Rules on <see cref="UpstreamFailure"/> every provider shares (a provider may still decide otherwise).</summary>
internal static class UpstreamFailures
{
    /// <summary>
    /// Another account may do better: this one's credentials, plan or rate limit (401/403/429), overload, a server
    /// error, an error event, or a transport failure. A bad request (400) or other 4xx would fail anywhere.
    /// </summary>
    public static bool CanFailOver(UpstreamFailure failure) => failure is
        UpstreamFailure.AuthRejected or UpstreamFailure.Forbidden or UpstreamFailure.RateLimited
        or UpstreamFailure.Overloaded or UpstreamFailure.ServerError or UpstreamFailure.StreamError
        or UpstreamFailure.NetworkError or UpstreamFailure.Timeout;
}

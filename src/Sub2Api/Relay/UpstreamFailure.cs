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

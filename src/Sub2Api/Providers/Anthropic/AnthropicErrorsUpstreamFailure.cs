namespace Sub2Api.Providers.Anthropic;

/// <summary>What the relay does with an upstream outcome (see <see cref="AnthropicErrors.Classify"/>).</summary>
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

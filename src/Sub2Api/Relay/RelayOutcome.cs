using Sub2Api.Billing;

namespace Sub2Api.Relay;

/// <summary>
/// What step 6 produced. <see cref="FailOver"/> is only ever true when nothing of the upstream's answer reached
/// the client, so the loop may still try another account.
/// </summary>
internal readonly record struct RelayOutcome(
    bool FailOver,
    UpstreamFailure Failure,
    TokenUsage Usage,
    int? FirstTokenMs,
    bool ClientGone,
    bool HasUsage)
{
    public static RelayOutcome FailedOver(UpstreamFailure failure) => new(true, failure, default, null, false, false);
}

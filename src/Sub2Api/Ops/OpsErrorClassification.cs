using Sub2Api.Relay;

namespace Sub2Api.Ops;

/// <summary>The original's error phases: where in the request's life the failure happened.</summary>
internal static class OpsPhases
{
    public const string Auth = "auth";
    public const string Request = "request";
    public const string Routing = "routing";
    public const string Upstream = "upstream";
    public const string Network = "network";
    public const string Internal = "internal";
}

/// <summary>Whose fault a failure is: the client's, the upstream provider's, or ours (the platform's).</summary>
internal static class OpsOwners
{
    public const string Client = "client";
    public const string Provider = "provider";
    public const string Platform = "platform";

    public static string For(string phase) => phase switch
    {
        OpsPhases.Auth or OpsPhases.Request => Client,
        OpsPhases.Upstream or OpsPhases.Network => Provider,
        _ => Platform,
    };
}

/// <summary>P0 (worst) … P3, as the original grades errors.</summary>
internal static class OpsSeverity
{
    public static string ForRequest(int status) => status switch
    {
        >= 500 => "P1",
        429 => "P2",
        _ => "P3",
    };

    /// <summary>A broken account (credentials refused) is worse than a busy one.</summary>
    public static string ForUpstream(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.AuthRejected or UpstreamFailure.Forbidden => "P1",
        UpstreamFailure.RateLimited or UpstreamFailure.Overloaded => "P3",
        _ => "P2",
    };
}

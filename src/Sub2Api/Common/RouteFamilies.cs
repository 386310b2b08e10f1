namespace Sub2Api.Common;

/// <summary>
/// Which error shape a path gets: Anthropic's under <c>/v1</c> (API-key clients, Anthropic SDKs), the management
/// envelope under <c>/api</c>. Other paths (e.g. <c>/</c>, later the web app's) belong to neither.
/// </summary>
internal static class RouteFamilies
{
    public static bool IsGatewayPath(PathString path) => path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    public static bool IsManagementPath(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}

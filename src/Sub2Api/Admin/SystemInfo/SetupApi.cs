using Sub2Api.Common;

namespace Sub2Api.Admin.SystemInfo;

/// <summary>
/// The original's install-wizard routes (outside <c>/api/v1</c>). This build configures itself from its
/// configuration and environment on first start, so setup is always complete: the status says so, and the wizard's
/// actions are refused as the original refuses them once installed.
/// </summary>
internal static class SetupApi
{
    public static void MapSetup(this IEndpointRouteBuilder app)
    {
        var setup = app.MapGroup("/setup");
        setup.MapGet("/status", () => Api.Ok(new { needs_setup = false, step = "completed" }));
        foreach (var action in new[] { "/test-db", "/test-redis", "/install" })
        {
            setup.MapPost(action, () => Api.Forbidden(
                "setup is already complete: this server configures itself from its configuration and environment", "SETUP_NOT_ALLOWED"));
        }
    }
}

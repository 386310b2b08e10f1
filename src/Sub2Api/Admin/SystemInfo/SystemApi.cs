using Sub2Api.Common;
using Sub2Api.Settings;

namespace Sub2Api.Admin.SystemInfo;

/// <summary>
/// <c>/admin/system/*</c>: the running version, and the original's update routes. This build never calls out to
/// look for releases and cannot replace itself: <c>check-updates</c> reports the running version with no update
/// known, and update/rollback/restart answer a 400 (never a 5xx: nothing failed, the operation does not exist here)
/// whose message the original's header shows.
/// </summary>
internal static class SystemApi
{
    public const string SelfUpdateUnsupported = "self-update is not supported: replace the container image or binary";

    public static void MapAdminSystem(this RouteGroupBuilder admin)
    {
        var system = admin.MapGroup("/system");

        system.MapGet("/version", () => Api.Ok(new { version = SettingsApi.Version }));

        system.MapGet("/check-updates", () => Api.Ok(new
        {
            current_version = SettingsApi.Version,
            latest_version = SettingsApi.Version,
            has_update = false,
            release_info = (object?)null,
            cached = false,
            warning = "update checks are disabled: this build makes no outbound calls to look for releases",
            build_type = "source",
        }));

        foreach (var operation in new[] { "/update", "/rollback", "/restart" })
        {
            system.MapPost(operation, () => Api.BadRequest(SelfUpdateUnsupported, "SELF_UPDATE_UNSUPPORTED"));
        }
    }
}

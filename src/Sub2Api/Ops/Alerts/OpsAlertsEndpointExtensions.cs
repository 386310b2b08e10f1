using Sub2Api.Ops.Alerts;

namespace Microsoft.AspNetCore.Builder;

internal static class OpsAlertsEndpointExtensions
{
    /// <summary>The alert routes under <c>/ops</c> of the admin group.</summary>
    public static RouteGroupBuilder MapOpsAlerts(this RouteGroupBuilder admin)
    {
        var ops = admin.MapGroup("/ops");
        ops.MapAlertRules();
        ops.MapAlertEvents();
        ops.MapAlertSilences();
        ops.MapAlertNotifications();
        return admin;
    }
}

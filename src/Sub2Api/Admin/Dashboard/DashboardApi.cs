namespace Sub2Api.Admin.Dashboard;

internal static class DashboardApi
{
    public static void MapAdminDashboard(this RouteGroupBuilder group)
    {
    }
}

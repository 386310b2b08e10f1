namespace Sub2Api.Admin.Usage;

internal static class AdminUsageApi
{
    public static void MapAdminUsage(this RouteGroupBuilder group)
    {
    }
}

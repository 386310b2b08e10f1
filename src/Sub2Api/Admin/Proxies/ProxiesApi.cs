namespace Sub2Api.Admin.Proxies;

internal static class ProxiesApi
{
    public static void MapAdminProxies(this RouteGroupBuilder group)
    {
    }
}

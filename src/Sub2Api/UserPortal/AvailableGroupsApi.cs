namespace Sub2Api.UserPortal;

internal static class AvailableGroupsApi
{
    public static void MapAvailableGroupsApi(this RouteGroupBuilder group)
    {
    }
}

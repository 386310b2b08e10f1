namespace Sub2Api.Admin.Groups;

internal static class GroupsApi
{
    public static void MapAdminGroups(this RouteGroupBuilder group)
    {
    }
}

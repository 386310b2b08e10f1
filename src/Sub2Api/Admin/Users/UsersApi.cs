namespace Sub2Api.Admin.Users;

internal static class UsersApi
{
    public static void MapAdminUsers(this RouteGroupBuilder group)
    {
    }
}

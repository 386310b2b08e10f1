namespace Sub2Api.UserPortal;

internal static class ProfileApi
{
    public static void MapProfileApi(this RouteGroupBuilder group)
    {
    }
}

namespace Sub2Api.UserPortal;

internal static class KeysApi
{
    public static void MapKeysApi(this RouteGroupBuilder group)
    {
    }
}

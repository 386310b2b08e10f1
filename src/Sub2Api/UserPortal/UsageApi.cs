namespace Sub2Api.UserPortal;

internal static class UsageApi
{
    public static void MapUserUsageApi(this RouteGroupBuilder group)
    {
    }
}

namespace Sub2Api.Admin.Accounts;

internal static class AccountsApi
{
    public static void MapAdminAccounts(this RouteGroupBuilder group)
    {
    }
}

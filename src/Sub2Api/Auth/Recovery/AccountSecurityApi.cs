using Sub2Api.Auth.Totp;

namespace Sub2Api.Auth.Recovery;

/// <summary>The public account-security routes under <c>/auth</c>: email codes, password reset, the 2FA step, log-out-everywhere.</summary>
internal static class AccountSecurityApi
{
    public static void MapAccountSecurity(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth");
        auth.MapEmailVerification();
        auth.MapPasswordReset();
        auth.MapTwoFactorLogin();
        auth.MapRevokeAllSessions();
    }
}

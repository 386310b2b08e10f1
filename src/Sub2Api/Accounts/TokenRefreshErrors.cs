namespace Sub2Api.Accounts;

/// <summary>OAuth errors after which retrying the same refresh token can never succeed.</summary>
internal static class TokenRefreshErrors
{
    public static readonly string[] FinalCodes = ["invalid_grant", "invalid_client", "unauthorized_client", "access_denied", "token_expired"];

    public static bool IsFinal(string? error) =>
        error is not null && FinalCodes.Any(code => error.Contains(code, StringComparison.OrdinalIgnoreCase));
}

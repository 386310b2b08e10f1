using Sub2Api.Accounts;
using Sub2Api.Data.Entities;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// The refresh grant of ChatGPT (Codex) OAuth accounts. The refresh token rotates on every grant;
/// <see cref="TokenRefreshService"/> stores the new one together with the new access token, and with the id_token and
/// the identity read from it when the answer carries one (the plan may have changed since the login).
/// </summary>
internal sealed class OpenAITokenRefresher(OpenAIOAuthClient client) : ITokenRefresher
{
    public bool Handles(string platform, string accountType) => platform == Platforms.OpenAI && accountType == AccountTypes.OAuth;

    public async Task<TokenRefreshAttempt> RefreshAsync(string refreshToken, string? proxyUrl, CancellationToken cancellationToken)
    {
        try
        {
            var tokens = await client.RefreshAsync(refreshToken, proxyUrl, cancellationToken);
            return TokenRefreshAttempt.Success(new RefreshedTokens(tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn,
                tokens.TokenType, tokens.Scope, tokens.IdentityCredentials()));
        }
        catch (OpenAIOAuthException e)
        {
            // The message names the operation, status and the provider's error code only (never a token). A refusal
            // not known to be final is retried like an outage: giving up on an account for good needs the provider to say so.
            return e.IsFinal ? TokenRefreshAttempt.Rejected(e.Message) : TokenRefreshAttempt.Transient(e.Message);
        }
    }
}

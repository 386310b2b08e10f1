using Sub2Api.Accounts;
using Sub2Api.Data.Entities;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// The refresh grant of Claude OAuth and setup-token accounts (setup tokens are granted for 8 hours nowadays, so
/// they need refreshing too). The refresh token rotates on every grant; <see cref="TokenRefreshService"/> stores
/// the new one together with the new access token.
/// </summary>
internal sealed class ClaudeTokenRefresher(ClaudeOAuthClient client) : ITokenRefresher
{
    public bool Handles(string platform, string accountType) =>
        platform == Platforms.Anthropic && accountType is AccountTypes.OAuth or AccountTypes.SetupToken;

    public async Task<TokenRefreshAttempt> RefreshAsync(string refreshToken, string? proxyUrl, CancellationToken cancellationToken)
    {
        try
        {
            var tokens = await client.RefreshAsync(refreshToken, proxyUrl, cancellationToken);
            return TokenRefreshAttempt.Success(new RefreshedTokens(tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn,
                tokens.TokenType, tokens.Scope));
        }
        catch (ClaudeOAuthException e)
        {
            // The message names the endpoint, status and the provider's error code only (never a token).
            // A refusal that is not known to be final is retried like an outage: giving up on an account for good
            // needs the provider to say so.
            return e.IsFinal ? TokenRefreshAttempt.Rejected(e.Message) : TokenRefreshAttempt.Transient(e.Message);
        }
    }
}

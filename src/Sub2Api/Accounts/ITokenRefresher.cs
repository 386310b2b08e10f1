namespace Sub2Api.Accounts;

/// <summary>
/// New tokens from a provider's token endpoint. <see cref="RefreshToken"/> is null when the provider did not rotate it.
/// <see cref="Identity"/>: other credential fields the answer renews (e.g. an OpenAI id_token and the account id read
/// from it), written in the same update as the tokens.
/// </summary>
internal sealed record RefreshedTokens(string AccessToken, string? RefreshToken, long ExpiresInSeconds, string? TokenType = null,
    string? Scope = null, IReadOnlyDictionary<string, string>? Identity = null)
{
    public override string ToString() => $"RefreshedTokens {{ ExpiresInSeconds = {ExpiresInSeconds}, TokenType = {TokenType}, Scope = {Scope} }}";
}

/// <summary>The answer of one refresh try: tokens, or an error that is final (the grant is dead) or worth retrying.</summary>
internal sealed record TokenRefreshAttempt(RefreshedTokens? Tokens, string? Error, bool Final)
{
    public static TokenRefreshAttempt Success(RefreshedTokens tokens) => new(tokens, null, false);
    public static TokenRefreshAttempt Transient(string error) => new(null, error, false);
    public static TokenRefreshAttempt Rejected(string error) => new(null, error, true);
}

/// <summary>One provider's refresh-token grant (the provider-neutral part is <see cref="TokenRefreshService"/>).</summary>
internal interface ITokenRefresher
{
    bool Handles(string platform, string accountType);

    /// <summary>One call to the token endpoint through the account's proxy. Never throws for an upstream failure.</summary>
    Task<TokenRefreshAttempt> RefreshAsync(string refreshToken, string? proxyUrl, CancellationToken cancellationToken);
}

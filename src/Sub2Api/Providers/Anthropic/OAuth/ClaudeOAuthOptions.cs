namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// Section "OAuth:Claude": the endpoints and the public Claude Code client the onboarding flows and token
/// refresh talk to. Every URL is configuration so tests (and a staging mirror) can point them elsewhere.
/// </summary>
internal sealed class ClaudeOAuthOptions
{
    public const string Section = "OAuth:Claude";

    /// <summary>Where the admin's browser logs in (the newest host; the older one is https://claude.ai/oauth/authorize).</summary>
    public string AuthorizeUrl { get; set; } = "https://claude.com/cai/oauth/authorize";

    /// <summary>The token endpoint for both grants (the old console.anthropic.com host answers 404 to refreshes).</summary>
    public string TokenUrl { get; set; } = "https://platform.claude.com/v1/oauth/token";

    /// <summary>claude.ai, for the sessionKey cookie flow: <c>/api/organizations</c> and <c>/v1/oauth/{org}/authorize</c>.</summary>
    public string WebBaseUrl { get; set; } = "https://claude.ai";

    /// <summary>The public client id of Claude Code (no secret: PKCE protects the exchange).</summary>
    public string ClientId { get; set; } = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";

    /// <summary>The page that shows the admin the <c>code#state</c> to paste back.</summary>
    public string RedirectUri { get; set; } = "https://platform.claude.com/oauth/code/callback";

    /// <summary>Scopes of the browser flow.</summary>
    public string Scope { get; set; } =
        "org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload";

    /// <summary>Scopes of the cookie flow: claude.ai's internal authorize endpoint refuses <c>org:create_api_key</c>.</summary>
    public string CookieScope { get; set; } =
        "user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload";

    /// <summary>Scopes of a setup token (inference only).</summary>
    public string SetupTokenScope { get; set; } = "user:inference";

    /// <summary>How long a setup token is asked to live (a year; upstream currently grants 8 hours anyway).</summary>
    public long SetupTokenExpiresInSeconds { get; set; } = 31_536_000;

    /// <summary>Upper bound of one call to the OAuth endpoints, proxy included.</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;
}

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// Section "OAuth:OpenAI": the endpoints and the public Codex CLI client that ChatGPT onboarding and token refresh
/// talk to. Every URL is configuration so tests (and a staging mirror) can point them elsewhere.
/// </summary>
internal sealed class OpenAIOAuthOptions
{
    public const string Section = "OAuth:OpenAI";

    /// <summary>Where the admin's browser logs in to ChatGPT.</summary>
    public string AuthorizeUrl { get; set; } = "https://auth.openai.com/oauth/authorize";

    /// <summary>The token endpoint for both grants (form-encoded bodies).</summary>
    public string TokenUrl { get; set; } = "https://auth.openai.com/oauth/token";

    /// <summary>The public client id of Codex CLI (no secret: PKCE protects the exchange).</summary>
    public string ClientId { get; set; } = "app_EMoamEEZ73f0CkXaXp7hrann";

    /// <summary>
    /// Codex CLI's local callback. Nothing listens there when the login runs for the gateway: the browser shows an
    /// error page, and the admin copies that page's whole URL (it carries the code and the state) back into the app.
    /// </summary>
    public string RedirectUri { get; set; } = "http://localhost:1455/auth/callback";

    /// <summary>Scopes of the login; <c>offline_access</c> is what grants a refresh token.</summary>
    public string Scope { get; set; } = "openid profile email offline_access";

    /// <summary>Scopes asked on a refresh (without <c>offline_access</c>, as Codex CLI asks).</summary>
    public string RefreshScope { get; set; } = "openid profile email";

    /// <summary>Upper bound of one call to the token endpoint, proxy included.</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;
}

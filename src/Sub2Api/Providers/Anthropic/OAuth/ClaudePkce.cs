using System.Security.Cryptography;
using System.Text;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// PKCE (S256) and the authorize URL of the browser flows. The verifier and the state are 32 random bytes each,
/// base64url without padding, as Claude Code makes them.
/// </summary>
internal static class ClaudePkce
{
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewState() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>
    /// The authorize URL with its parameters in Claude Code's order (<c>code=true</c> first), since the login page is
    /// built for that client and an unusual URL is one more thing that can set it apart.
    /// </summary>
    public static string AuthorizeUrl(ClaudeOAuthOptions options, string scope, string challenge, string state)
    {
        var query = new StringBuilder();
        Append(query, "code", "true");
        Append(query, "client_id", options.ClientId);
        Append(query, "response_type", "code");
        Append(query, "redirect_uri", options.RedirectUri);
        Append(query, "scope", scope);
        Append(query, "code_challenge", challenge);
        Append(query, "code_challenge_method", "S256");
        Append(query, "state", state);
        var separator = options.AuthorizeUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return options.AuthorizeUrl + separator + query;
    }

    private static void Append(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }
        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

using System.Security.Cryptography;
using System.Text;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// PKCE (S256) and the authorize URL of the ChatGPT login. The verifier is 64 random bytes and the state 32, both
/// base64url without padding; the URL carries the two extra flags Codex CLI sends, which make the login page issue an
/// <c>id_token</c> that lists the user's organizations and skip the API-organization picker.
/// </summary>
internal static class OpenAIPkce
{
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(64));

    public static string NewState() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string AuthorizeUrl(OpenAIOAuthOptions options, string redirectUri, string challenge, string state)
    {
        var query = new StringBuilder();
        Append(query, "response_type", "code");
        Append(query, "client_id", options.ClientId);
        Append(query, "redirect_uri", redirectUri);
        Append(query, "scope", options.Scope);
        Append(query, "code_challenge", challenge);
        Append(query, "code_challenge_method", "S256");
        Append(query, "state", state);
        Append(query, "id_token_add_organizations", "true");
        Append(query, "codex_cli_simplified_flow", "true");
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

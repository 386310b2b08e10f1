using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// What the token endpoint granted, with the claims of its id_token. <see cref="RefreshToken"/> rotates on every
/// grant: whoever stores this must store the new refresh token together with the new access token, in one write.
/// </summary>
internal sealed record OpenAITokenSet(
    string AccessToken,
    string? RefreshToken,
    string? IdToken,
    long ExpiresIn,
    DateTimeOffset ExpiresAt,
    string? TokenType,
    string? Scope,
    OpenAIIdTokenClaims Claims)
{
    /// <summary>The credential keys of an OpenAI OAuth account that come from the id_token.</summary>
    public static readonly string[] IdentityFields = ["id_token", "email", "chatgpt_account_id", "chatgpt_user_id", "organization_id", "plan_type"];

    /// <summary>The answer of the onboarding routes, shown once to the admin.</summary>
    public OpenAITokenInfo ToTokenInfo() => new(AccessToken, RefreshToken, IdToken, ExpiresIn, ExpiresAt.ToUnixTimeSeconds(),
        Claims.Email, Claims.ChatGptAccountId, Claims.ChatGptUserId, Claims.OrganizationId, Claims.PlanType);

    /// <summary>
    /// The account's credentials as the original keeps them: the tokens, <c>expires_at</c> (unix seconds), and the
    /// login's identity, so the relay can send <c>chatgpt-account-id</c> without decoding the id_token per request.
    /// </summary>
    public JsonObject ToCredentials()
    {
        var credentials = new JsonObject { ["access_token"] = AccessToken };
        Set(credentials, "refresh_token", RefreshToken);
        Set(credentials, "id_token", IdToken);
        if (ExpiresIn > 0)
        {
            credentials["expires_at"] = ExpiresAt.ToUnixTimeSeconds();
        }
        foreach (var (name, value) in IdentityCredentials())
        {
            credentials[name] = value;
        }
        return credentials;
    }

    /// <summary>
    /// The id_token and the identity read from it, only the fields present: a refresh answer without an id_token
    /// keeps the identity the account already stores.
    /// </summary>
    public IReadOnlyDictionary<string, string> IdentityCredentials()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                fields[name] = value;
            }
        }
        Add("id_token", IdToken);
        Add("email", Claims.Email);
        Add("chatgpt_account_id", Claims.ChatGptAccountId);
        Add("chatgpt_user_id", Claims.ChatGptUserId);
        Add("organization_id", Claims.OrganizationId);
        Add("plan_type", Claims.PlanType);
        return fields;
    }

    private static void Set(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }

    /// <summary>Never the secrets: a record's generated ToString would print the tokens into any log line or exception.</summary>
    public override string ToString() => $"OpenAITokenSet {{ ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}

/// <summary>
/// The token info the onboarding routes answer (the original's shape); the admin's app may send it back as the
/// account's <c>credentials</c>. <c>expires_at</c> is unix seconds.
/// </summary>
internal sealed record OpenAITokenInfo(
    string AccessToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken,
    long ExpiresIn,
    long ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("chatgpt_account_id")] string? ChatGptAccountId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("chatgpt_user_id")] string? ChatGptUserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrganizationId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PlanType)
{
    public override string ToString() => $"OpenAITokenInfo {{ ExpiresAt = {ExpiresAt}, Email = {Email} }}";
}

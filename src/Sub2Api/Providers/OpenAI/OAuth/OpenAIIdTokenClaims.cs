using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// Who a ChatGPT login is, read from its <c>id_token</c>: the email, and from the claim
/// <c>https://api.openai.com/auth</c> the ChatGPT account id (sent upstream as <c>chatgpt-account-id</c>), the user id,
/// the plan and the default organization.
/// </summary>
internal sealed record OpenAIIdTokenClaims(string? Email, string? ChatGptAccountId, string? ChatGptUserId, string? PlanType,
    string? OrganizationId)
{
    public const string AuthClaim = "https://api.openai.com/auth";

    public static readonly OpenAIIdTokenClaims None = new(null, null, null, null, null);

    /// <summary>
    /// The claims of an id_token; <see cref="None"/> for anything that is not a readable JWT. The signature is not
    /// checked, on purpose: the token came straight from the token endpoint over TLS in answer to our own grant, so
    /// its origin is already established, and the claims only label the account (they grant nothing).
    /// </summary>
    public static OpenAIIdTokenClaims Parse(string? idToken)
    {
        if (string.IsNullOrWhiteSpace(idToken) || Payload(idToken) is not JsonObject payload)
        {
            return None;
        }
        var auth = payload[AuthClaim] as JsonObject;
        return new OpenAIIdTokenClaims(
            Text(payload, "email"),
            auth is null ? null : Text(auth, "chatgpt_account_id"),
            auth is null ? null : Text(auth, "chatgpt_user_id") ?? Text(auth, "user_id"),
            auth is null ? null : Text(auth, "chatgpt_plan_type"),
            auth is null ? null : DefaultOrganization(auth["organizations"] as JsonArray));
    }

    /// <summary>The organization marked default, else the first one listed.</summary>
    private static string? DefaultOrganization(JsonArray? organizations)
    {
        var listed = organizations?.OfType<JsonObject>().Where(o => Text(o, "id") is not null).ToList() ?? [];
        var chosen = listed.FirstOrDefault(o => o["is_default"] is JsonValue v && v.TryGetValue<bool>(out var isDefault) && isDefault)
            ?? listed.FirstOrDefault();
        return chosen is null ? null : Text(chosen, "id");
    }

    private static JsonNode? Payload(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }
        var base64 = parts[1].Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;
}

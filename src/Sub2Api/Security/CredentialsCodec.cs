using System.Text.Json.Nodes;

namespace Sub2Api.Security;

/// <summary>
/// Account credentials (<c>access_token</c>, <c>refresh_token</c>, <c>api_key</c>, <c>base_url</c>,
/// <c>model_mapping</c>, …) travel as one JSON object, are stored encrypted, and are shown masked: secret
/// fields become <c>sk-ok…a1</c>. Sending the masked value back on update means "keep what is stored".
/// </summary>
internal sealed class CredentialsCodec(SecretProtector protector)
{
    private static readonly string[] SecretMarkers = ["token", "secret", "password", "api_key", "apikey", "session_key", "cookie"];
    private static readonly HashSet<string> NotSecret = new(StringComparer.OrdinalIgnoreCase)
    {
        "_token_version", "token_type", "expires_at", "expires_in",
    };

    public static bool IsSecretField(string name) =>
        !NotSecret.Contains(name) && SecretMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase));

    public string Protect(JsonObject credentials) => protector.Protect(credentials.ToJsonString());

    public JsonObject Unprotect(string stored) =>
        string.IsNullOrEmpty(stored) ? [] : JsonNode.Parse(protector.Unprotect(stored))?.AsObject() ?? [];

    /// <summary>A copy safe to return from any endpoint.</summary>
    public static JsonObject Mask(JsonObject credentials)
    {
        var masked = new JsonObject();
        foreach (var (name, value) in credentials)
        {
            masked[name] = IsSecretField(name) && value is JsonValue v && v.TryGetValue<string>(out var text)
                ? Masking.Mask(text)
                : value?.DeepClone();
        }
        return masked;
    }

    public JsonObject MaskStored(string stored) => Mask(Unprotect(stored));

    /// <summary>
    /// The credentials an update leaves: the incoming object, except secret fields sent back in their masked
    /// form keep their stored value.
    /// </summary>
    public static JsonObject MergeForUpdate(JsonObject existing, JsonObject incoming)
    {
        var merged = new JsonObject();
        foreach (var (name, value) in incoming)
        {
            if (IsSecretField(name) && value is JsonValue v && v.TryGetValue<string>(out var text)
                && existing[name] is JsonValue old && old.TryGetValue<string>(out var oldText)
                && Masking.IsMaskOf(text, oldText))
            {
                merged[name] = oldText;
            }
            else
            {
                merged[name] = value?.DeepClone();
            }
        }
        return merged;
    }
}

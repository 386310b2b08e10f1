using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.Accounts;

/// <summary>
/// Reading what an OAuth provider's endpoints answer, the same for every provider: lenient JSON, non-empty strings,
/// and a refused grant's error code and description — scrubbed of the request's own secrets (a provider may echo a
/// code or token back) and bounded, because both end up in logs and in the admin's error message.
/// </summary>
internal static class OAuthAnswers
{
    public const int MaxDescriptionLength = 300;

    public static JsonNode? Parse(byte[] answer)
    {
        try
        {
            return answer.Length == 0 ? null : JsonNode.Parse(answer);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// <summary>
    /// The standard <c>{"error","error_description"}</c>, or a nested <c>{"error":{"code"|"type","message"}}</c>.
    /// </summary>
    public static (string? Code, string? Description) ReadRefusal(byte[] answer, string[] secrets)
    {
        string? code = null;
        string? description = null;
        switch (Parse(answer))
        {
            case JsonObject { } json when json["error"] is JsonObject nested:
                code = Text(nested, "code") ?? Text(nested, "type");
                description = Text(nested, "message");
                break;
            case JsonObject { } json:
                code = Text(json, "error");
                description = Text(json, "error_description") ?? Text(json, "message");
                break;
        }
        return (Scrub(code, secrets), Scrub(description, secrets));
    }

    private static string? Scrub(string? text, string[] secrets)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        foreach (var secret in secrets.Where(s => s.Length >= 4))
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }
        return text.Length > MaxDescriptionLength ? text[..MaxDescriptionLength] + "…" : text;
    }
}

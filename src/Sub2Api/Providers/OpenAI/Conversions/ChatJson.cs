using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>Typed reads of client JSON that fail with a <see cref="ChatRequestException"/> naming the field.</summary>
internal static class ChatJson
{
    /// <summary>The property, or false when absent or JSON null: clients send <c>null</c> to mean "not set".</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ChatRequestException($"{path}.{name} must be a string");
    }

    public static string RequiredString(JsonElement obj, string name, string path) =>
        OptionalString(obj, name, path) is { Length: > 0 } value
            ? value
            : throw new ChatRequestException($"{path}.{name} is required");

    public static JsonElement RequireObject(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? value : throw new ChatRequestException($"{path} must be an object");

    public static JsonElement RequireArray(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Array ? value : throw new ChatRequestException($"{path} must be an array");
}

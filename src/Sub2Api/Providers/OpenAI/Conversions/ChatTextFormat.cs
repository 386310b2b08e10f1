using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// <c>response_format</c> and <c>verbosity</c> → the Responses <c>text</c> object. Chat nests a JSON schema
/// under <c>json_schema</c>; the Responses format carries name/schema/strict directly.
/// </summary>
internal static class ChatTextFormat
{
    public static void Write(Utf8JsonWriter writer, JsonElement root)
    {
        var hasFormat = ChatJson.TryGet(root, "response_format", out var format);
        var verbosity = ChatJson.OptionalString(root, "verbosity", "request");
        if (!hasFormat && verbosity is null)
        {
            return;
        }
        writer.WriteStartObject("text");
        if (hasFormat)
        {
            WriteFormat(writer, ChatJson.RequireObject(format, "response_format"));
        }
        if (verbosity is not null)
        {
            writer.WriteString("verbosity", verbosity);
        }
        writer.WriteEndObject();
    }

    private static void WriteFormat(Utf8JsonWriter writer, JsonElement format)
    {
        var type = ChatJson.RequiredString(format, "type", "response_format");
        writer.WriteStartObject("format");
        writer.WriteString("type", type);
        switch (type)
        {
            case "text" or "json_object":
                break;
            case "json_schema":
                if (!ChatJson.TryGet(format, "json_schema", out var schema))
                {
                    throw new ChatRequestException("response_format.json_schema is required");
                }
                const string path = "response_format.json_schema";
                ChatJson.RequireObject(schema, path);
                // The Responses API requires a name; Chat clients almost always send one, "response" covers the rest.
                writer.WriteString("name", ChatJson.OptionalString(schema, "name", path) ?? "response");
                if (ChatJson.OptionalString(schema, "description", path) is { } description)
                {
                    writer.WriteString("description", description);
                }
                if (ChatJson.TryGet(schema, "schema", out var body))
                {
                    writer.WritePropertyName("schema");
                    ChatJson.RequireObject(body, $"{path}.schema").WriteTo(writer);
                }
                if (ChatJson.TryGet(schema, "strict", out var strict))
                {
                    if (strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw new ChatRequestException($"{path}.strict must be a boolean");
                    }
                    writer.WriteBoolean("strict", strict.GetBoolean());
                }
                break;
            default:
                throw new ChatRequestException($"response_format.type '{type}' is not supported");
        }
        writer.WriteEndObject();
    }
}

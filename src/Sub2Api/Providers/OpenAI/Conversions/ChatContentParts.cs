using System.Text;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// Chat message <c>content</c> (a string or an array of typed parts) in the Responses item shapes: input parts
/// for system/developer/user messages, output parts for assistant turns, plain text for tool results.
/// </summary>
internal static class ChatContentParts
{
    /// <summary>Writes the <c>content</c> array of a system/developer/user item.</summary>
    public static void WriteInput(Utf8JsonWriter writer, JsonElement content, string path)
    {
        writer.WriteStartArray("content");
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(writer, "input_text", content.GetString()!);
        }
        else
        {
            var index = 0;
            foreach (var part in ChatJson.RequireArray(content, path).EnumerateArray())
            {
                WriteInputPart(writer, part, $"{path}[{index++}]");
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes an assistant message item when the content holds anything; an assistant turn that only called
    /// tools has no content (null or "") and becomes function_call items alone.
    /// </summary>
    public static void WriteAssistantMessage(Utf8JsonWriter writer, JsonElement content, string path)
    {
        if (content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            || (content.ValueKind == JsonValueKind.String && content.GetString()!.Length == 0))
        {
            return;
        }
        if (content.ValueKind == JsonValueKind.Array && content.GetArrayLength() == 0)
        {
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteStartArray("content");
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(writer, "output_text", content.GetString()!);
        }
        else
        {
            var index = 0;
            foreach (var part in ChatJson.RequireArray(content, path).EnumerateArray())
            {
                WriteAssistantPart(writer, part, $"{path}[{index++}]");
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A tool result's content as the single string function_call_output carries (text parts joined).</summary>
    public static string Text(JsonElement content, string path)
    {
        if (content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in ChatJson.RequireArray(content, path).EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            ChatJson.RequireObject(part, partPath);
            if (PartType(part, partPath) != "text")
            {
                throw new ChatRequestException($"{partPath}: only text parts are supported here");
            }
            text.Append(ChatJson.OptionalString(part, "text", partPath));
        }
        return text.ToString();
    }

    private static void WriteInputPart(Utf8JsonWriter writer, JsonElement part, string path)
    {
        ChatJson.RequireObject(part, path);
        switch (PartType(part, path))
        {
            case "text":
                WriteText(writer, "input_text", ChatJson.OptionalString(part, "text", path) ?? "");
                break;
            case "image_url":
                WriteImage(writer, part, path);
                break;
            case "file":
                WriteFile(writer, part, path);
                break;
            case var other:
                throw new ChatRequestException($"{path}: unsupported content part type '{other}'");
        }
    }

    private static void WriteAssistantPart(Utf8JsonWriter writer, JsonElement part, string path)
    {
        ChatJson.RequireObject(part, path);
        switch (PartType(part, path))
        {
            case "text":
                WriteText(writer, "output_text", ChatJson.OptionalString(part, "text", path) ?? "");
                break;
            case "refusal":
                writer.WriteStartObject();
                writer.WriteString("type", "refusal");
                writer.WriteString("refusal", ChatJson.OptionalString(part, "refusal", path) ?? "");
                writer.WriteEndObject();
                break;
            case var other:
                throw new ChatRequestException($"{path}: unsupported assistant content part type '{other}'");
        }
    }

    /// <summary><c>image_url</c> is either the URL itself or <c>{url, detail}</c>; data: URLs pass as they are.</summary>
    private static void WriteImage(Utf8JsonWriter writer, JsonElement part, string path)
    {
        if (!ChatJson.TryGet(part, "image_url", out var image))
        {
            throw new ChatRequestException($"{path}.image_url is required");
        }
        string url;
        string? detail = null;
        if (image.ValueKind == JsonValueKind.String)
        {
            url = image.GetString()!;
        }
        else
        {
            ChatJson.RequireObject(image, $"{path}.image_url");
            url = ChatJson.RequiredString(image, "url", $"{path}.image_url");
            detail = ChatJson.OptionalString(image, "detail", $"{path}.image_url");
        }
        if (url.Length == 0)
        {
            throw new ChatRequestException($"{path}.image_url is empty");
        }
        writer.WriteStartObject();
        writer.WriteString("type", "input_image");
        writer.WriteString("image_url", url);
        if (detail is not null)
        {
            writer.WriteString("detail", detail);
        }
        writer.WriteEndObject();
    }

    private static void WriteFile(Utf8JsonWriter writer, JsonElement part, string path)
    {
        if (!ChatJson.TryGet(part, "file", out var file))
        {
            throw new ChatRequestException($"{path}.file is required");
        }
        ChatJson.RequireObject(file, $"{path}.file");
        var fileId = ChatJson.OptionalString(file, "file_id", $"{path}.file");
        var fileData = ChatJson.OptionalString(file, "file_data", $"{path}.file");
        if (fileId is null && fileData is null)
        {
            throw new ChatRequestException($"{path}.file needs file_id or file_data");
        }
        writer.WriteStartObject();
        writer.WriteString("type", "input_file");
        WriteIfPresent(writer, "file_id", fileId);
        WriteIfPresent(writer, "file_data", fileData);
        WriteIfPresent(writer, "filename", ChatJson.OptionalString(file, "filename", $"{path}.file"));
        writer.WriteEndObject();
    }

    private static string PartType(JsonElement part, string path) => ChatJson.RequiredString(part, "type", path);

    private static void WriteText(Utf8JsonWriter writer, string type, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}

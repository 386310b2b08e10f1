using System.Text.Json;

namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// Tool definitions and the tool choice. Chat nests a function tool's fields under <c>function</c>; the
/// Responses API flattens them into the tool object. Legacy <c>functions</c>/<c>function_call</c> map the same way.
/// </summary>
internal static class ChatToolsToResponses
{
    /// <summary>Writes <c>tools</c> when the request declares any (tools first, then legacy functions).</summary>
    public static void WriteTools(Utf8JsonWriter writer, JsonElement root)
    {
        var hasTools = ChatJson.TryGet(root, "tools", out var tools);
        var hasFunctions = ChatJson.TryGet(root, "functions", out var functions);
        if (!hasTools && !hasFunctions)
        {
            return;
        }
        writer.WriteStartArray("tools");
        if (hasTools)
        {
            var index = 0;
            foreach (var tool in ChatJson.RequireArray(tools, "tools").EnumerateArray())
            {
                var path = $"tools[{index++}]";
                ChatJson.RequireObject(tool, path);
                var type = ChatJson.RequiredString(tool, "type", path);
                if (type != "function")
                {
                    throw new ChatRequestException($"{path}.type '{type}' is not supported");
                }
                if (!ChatJson.TryGet(tool, "function", out var function))
                {
                    throw new ChatRequestException($"{path}.function is required");
                }
                WriteFunctionTool(writer, ChatJson.RequireObject(function, $"{path}.function"), $"{path}.function");
            }
        }
        if (hasFunctions)
        {
            var index = 0;
            foreach (var function in ChatJson.RequireArray(functions, "functions").EnumerateArray())
            {
                var path = $"functions[{index++}]";
                WriteFunctionTool(writer, ChatJson.RequireObject(function, path), path);
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes <c>tool_choice</c> from <c>tool_choice</c>, else from the legacy <c>function_call</c>.</summary>
    public static void WriteToolChoice(Utf8JsonWriter writer, JsonElement root)
    {
        if (ChatJson.TryGet(root, "tool_choice", out var choice))
        {
            WriteChoice(writer, choice, "tool_choice", legacy: false);
        }
        else if (ChatJson.TryGet(root, "function_call", out var legacy))
        {
            WriteChoice(writer, legacy, "function_call", legacy: true);
        }
    }

    private static void WriteFunctionTool(Utf8JsonWriter writer, JsonElement function, string path)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WriteString("name", ChatJson.RequiredString(function, "name", path));
        if (ChatJson.OptionalString(function, "description", path) is { } description)
        {
            writer.WriteString("description", description);
        }
        if (ChatJson.TryGet(function, "parameters", out var parameters))
        {
            writer.WritePropertyName("parameters");
            ChatJson.RequireObject(parameters, $"{path}.parameters").WriteTo(writer);
        }
        if (ChatJson.TryGet(function, "strict", out var strict))
        {
            if (strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new ChatRequestException($"{path}.strict must be a boolean");
            }
            writer.WriteBoolean("strict", strict.GetBoolean());
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// "auto"/"none"/"required" pass as they are; a named function (<c>{type:function,function:{name}}</c>, or
    /// legacy <c>{name}</c>) becomes <c>{type:function,name}</c>.
    /// </summary>
    private static void WriteChoice(Utf8JsonWriter writer, JsonElement choice, string path, bool legacy)
    {
        if (choice.ValueKind == JsonValueKind.String)
        {
            var mode = choice.GetString();
            if (mode is not ("auto" or "none" or "required") || (legacy && mode == "required"))
            {
                throw new ChatRequestException($"{path} '{mode}' is not supported");
            }
            writer.WriteString("tool_choice", mode);
            return;
        }
        ChatJson.RequireObject(choice, path);
        string name;
        if (legacy)
        {
            name = ChatJson.RequiredString(choice, "name", path);
        }
        else
        {
            var type = ChatJson.RequiredString(choice, "type", path);
            if (type != "function" || !ChatJson.TryGet(choice, "function", out var function))
            {
                throw new ChatRequestException($"{path} must name a function: {{\"type\":\"function\",\"function\":{{\"name\":…}}}}");
            }
            name = ChatJson.RequiredString(ChatJson.RequireObject(function, $"{path}.function"), "name", $"{path}.function");
        }
        writer.WriteStartObject("tool_choice");
        writer.WriteString("type", "function");
        writer.WriteString("name", name);
        writer.WriteEndObject();
    }
}

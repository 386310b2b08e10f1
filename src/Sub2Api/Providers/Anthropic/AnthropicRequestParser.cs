using System.Text;
using System.Text.Json;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// <c>ParseGatewayRequest</c> for the Claude format (SPEC §4.1 step 2). <see cref="JsonDocument"/> over the
/// caller's memory does not copy the body; only the fields of <see cref="AnthropicRequestInfo"/> are materialised.
/// </summary>
internal static class AnthropicRequestParser
{
    public const string EmptyBody = "Request body is empty";
    public const string ParseFailed = "Failed to parse request body";
    public const string ModelRequired = "model is required";
    public const string ModelNotString = "model must be a string";
    public const string StreamNotBoolean = "stream must be a boolean";

    // Duplicate keys are refused: otherwise the gateway could bill/route one "model" while the upstream
    // reads another (parsers disagree on first-wins vs last-wins), and the body editors edit the first.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static bool TryParse(ReadOnlyMemory<byte> body, out AnthropicRequestInfo? info, out string? error)
    {
        info = null;
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = EmptyBody;
            return false;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            error = ParseFailed;
            return false;
        }
        using (document)
        {
            error = Read(document.RootElement, out info);
            return error is null;
        }
    }

    private static string? Read(JsonElement root, out AnthropicRequestInfo? info)
    {
        info = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseFailed;
        }
        if (!root.TryGetProperty("model"u8, out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
        {
            return ModelRequired;
        }
        if (modelElement.ValueKind != JsonValueKind.String)
        {
            return ModelNotString;
        }
        var model = modelElement.GetString()!;
        if (model.Length == 0)
        {
            return ModelRequired;
        }

        var stream = false;
        if (root.TryGetProperty("stream"u8, out var streamElement))
        {
            switch (streamElement.ValueKind)
            {
                case JsonValueKind.True: stream = true; break;
                case JsonValueKind.False or JsonValueKind.Null: break;
                default: return StreamNotBoolean;
            }
        }

        var hasSystem = root.TryGetProperty("system"u8, out var system);
        var messages = root.TryGetProperty("messages"u8, out var m) && m.ValueKind == JsonValueKind.Array ? m : default;
        info = new AnthropicRequestInfo(
            Model: model,
            Stream: stream,
            MetadataUserId: GetString(root, "metadata"u8, "user_id"u8),
            HasSystem: hasSystem,
            HasTools: root.TryGetProperty("tools"u8, out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0,
            ThinkingType: GetString(root, "thinking"u8, "type"u8),
            MaxTokens: GetIntegral(root, "max_tokens"u8),
            CacheableSystemText: hasSystem ? SystemText(system, cacheableOnly: true) : "",
            FirstCacheableMessageText: FirstCacheableMessageText(messages),
            SystemText: hasSystem ? SystemText(system, cacheableOnly: false) : "",
            FirstMessageText: messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                ? ContentText(messages[0])
                : "")
        {
            SystemBlockTexts = hasSystem ? SystemBlockTexts(system) : [],
        };
        return null;
    }

    private static string? GetString(JsonElement root, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name) =>
        root.TryGetProperty(parent, out var obj) && obj.ValueKind == JsonValueKind.Object
            && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? GetIntegral(JsonElement root, ReadOnlySpan<byte> name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }
        if (value.TryGetInt64(out var integer))
        {
            return integer;
        }
        // 64000.0 is integral too (the original reads a float64 and checks it has no fraction).
        return value.TryGetDouble(out var real) && double.IsInteger(real) && Math.Abs(real) < 9.2e18 ? (long)real : null;
    }

    /// <summary>The original's extractTextFromSystem (any block's "text") or, cacheable only, the blocks whose
    /// cache_control.type is "ephemeral" (extractCacheableContent).</summary>
    private static string SystemText(JsonElement system, bool cacheableOnly)
    {
        if (system.ValueKind == JsonValueKind.String)
        {
            return cacheableOnly ? "" : system.GetString()!;
        }
        if (system.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        var text = new TextJoiner();
        foreach (var block in system.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && (!cacheableOnly || IsEphemeral(block))
                && block.TryGetProperty("text"u8, out var value) && value.ValueKind == JsonValueKind.String)
            {
                text.Add(value.GetString()!);
            }
        }
        return text.ToString();
    }

    private static string[] SystemBlockTexts(JsonElement system)
    {
        if (system.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var texts = new List<string>(system.GetArrayLength());
        foreach (var block in system.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("text"u8, out var value) && value.ValueKind == JsonValueKind.String)
            {
                texts.Add(value.GetString()!);
            }
        }
        return [.. texts];
    }

    private static string? FirstCacheableMessageText(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content"u8, out var content)
                && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind == JsonValueKind.Object && IsEphemeral(block))
                    {
                        return ContentText(message);
                    }
                }
            }
        }
        return null;
    }

    /// <summary>extractTextFromContent: string content, or the type:text blocks' text joined.</summary>
    private static string ContentText(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content"u8, out var content))
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        var text = new TextJoiner();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object
                    && block.TryGetProperty("type"u8, out var type) && IsString(type, "text"u8)
                    && block.TryGetProperty("text"u8, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    text.Add(value.GetString()!);
                }
            }
        }
        return text.ToString();
    }

    private static bool IsEphemeral(JsonElement block) =>
        block.TryGetProperty("cache_control"u8, out var cc) && cc.ValueKind == JsonValueKind.Object
        && cc.TryGetProperty("type"u8, out var type) && IsString(type, "ephemeral"u8);

    // ValueEquals throws on non-strings.
    private static bool IsString(JsonElement element, ReadOnlySpan<byte> value) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(value);

    /// <summary>Concatenates without a builder for the common single-block case.</summary>
    private struct TextJoiner
    {
        private string? _first;
        private StringBuilder? _builder;

        public void Add(string text)
        {
            if (_first is null)
            {
                _first = text;
                return;
            }
            _builder ??= new StringBuilder(_first);
            _builder.Append(text);
        }

        public override readonly string ToString() => _builder?.ToString() ?? _first ?? "";
    }
}

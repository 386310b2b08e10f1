using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// <c>ParseGatewayRequest</c> for the Claude format (SPEC §4.1 step 2). <see cref="JsonDocument"/> over the
/// caller's memory does not copy the body; only the fields of <see cref="AnthropicRequestInfo"/> are materialised.
/// </summary>
/// <remarks>
/// A client's bytes must never fail past this point: the body is valid UTF-8, its property names and every string
/// the relay decodes later (here, in the cache_control scan, in the OAuth rewrite) are valid Unicode text, and the
/// fields it reads have the types it reads them as. Strings the relay never decodes may hold lone surrogate escapes
/// (valid JSON text): they are forwarded as sent and the upstream judges them.
/// </remarks>
internal static class AnthropicRequestParser
{
    public const string EmptyBody = "Request body is empty";
    public const string NotUtf8 = "Request body is not valid UTF-8";
    public const string ParseFailed = "Failed to parse request body";
    public const string NotAnObject = "Request body must be a JSON object";
    public const string ModelRequired = "model is required";
    public const string ModelNotString = "model must be a string";
    public const string StreamNotBoolean = "stream must be a boolean";
    public const string MessagesNotArray = "messages must be an array";
    public const string MetadataNotObject = "metadata must be an object";
    public const string ThinkingNotObject = "thinking must be an object";
    public const string SystemWrongType = "system must be a string or an array";
    public const string MaxTokensNotInteger = "max_tokens must be an integer";

    // Duplicate keys are refused: otherwise the gateway could bill/route one "model" while the upstream
    // reads another (parsers disagree on first-wins vs last-wins), and the body editors edit the first.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The error for a string the relay reads that does not decode to Unicode text.</summary>
    public static string NotUnicode(string field) =>
        $"{field} is not valid Unicode text: it contains an unpaired surrogate escape (\\uD800-\\uDFFF without its pair)";

    public static bool TryParse(ReadOnlyMemory<byte> body, out AnthropicRequestInfo? info, out string? error)
    {
        info = null;
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = EmptyBody;
            return false;
        }
        // Vectorised, a few microseconds for a large body; without it invalid bytes in fields the relay never
        // reads would reach the upstream, and in fields it reads would fail deep inside a later step.
        if (!Utf8.IsValid(body.Span))
        {
            error = NotUtf8;
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
        catch (InvalidOperationException)
        {
            // The duplicate check decodes every property name; one with a lone surrogate escape cannot be.
            error = NotUnicode("A property name");
            return false;
        }
        using (document)
        {
            try
            {
                error = Read(document.RootElement, out info);
            }
            catch (NotUnicodeException e)
            {
                error = NotUnicode(e.Field);
                info = null;
            }
            return error is null;
        }
    }

    private static string? Read(JsonElement root, out AnthropicRequestInfo? info)
    {
        info = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return NotAnObject;
        }
        if (!root.TryGetProperty("model"u8, out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
        {
            return ModelRequired;
        }
        if (modelElement.ValueKind != JsonValueKind.String)
        {
            return ModelNotString;
        }
        var model = Text(modelElement, "model");
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

        // Null is accepted where the original accepted it (stream, system); messages, metadata and thinking
        // have no null form upstream, so a wrong type there is the client's mistake, said here.
        var hasSystem = root.TryGetProperty("system"u8, out var system);
        if (hasSystem && system.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
        {
            return SystemWrongType;
        }
        var hasMessages = root.TryGetProperty("messages"u8, out var messages);
        if (hasMessages && messages.ValueKind != JsonValueKind.Array)
        {
            return MessagesNotArray;
        }
        if (root.TryGetProperty("metadata"u8, out var metadata) && metadata.ValueKind != JsonValueKind.Object)
        {
            return MetadataNotObject;
        }
        if (root.TryGetProperty("thinking"u8, out var thinking) && thinking.ValueKind != JsonValueKind.Object)
        {
            return ThinkingNotObject;
        }
        long? maxTokens = null;
        if (root.TryGetProperty("max_tokens"u8, out var maxTokensElement) && maxTokensElement.ValueKind != JsonValueKind.Null)
        {
            maxTokens = Integral(maxTokensElement);
            if (maxTokens is null)
            {
                return MaxTokensNotInteger;
            }
        }
        var hasTools = root.TryGetProperty("tools"u8, out var tools) && tools.ValueKind == JsonValueKind.Array;
        if (hasTools)
        {
            EnsureBlockTypes(tools, "tools");
        }
        if (hasSystem)
        {
            EnsureSystemBlocks(system);
        }

        var firstCacheable = hasMessages ? ScanMessages(messages) : null;
        info = new AnthropicRequestInfo(
            Model: model,
            Stream: stream,
            MetadataUserId: GetString(root, "metadata"u8, "user_id"u8, "metadata.user_id"),
            HasSystem: hasSystem,
            HasTools: hasTools && tools.GetArrayLength() > 0,
            ThinkingType: GetString(root, "thinking"u8, "type"u8, "thinking.type"),
            MaxTokens: maxTokens,
            CacheableSystemText: hasSystem ? SystemText(system, cacheableOnly: true) : "",
            FirstCacheableMessageText: firstCacheable is { } cacheable ? ContentText(cacheable) : null,
            SystemText: hasSystem ? SystemText(system, cacheableOnly: false) : "",
            FirstMessageText: hasMessages && messages.GetArrayLength() > 0
                ? ContentText(messages[0])
                : "")
        {
            SystemBlockTexts = hasSystem ? SystemBlockTexts(system) : [],
        };
        return null;
    }

    private static string? GetString(JsonElement root, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name, string field) =>
        root.TryGetProperty(parent, out var obj) && obj.ValueKind == JsonValueKind.Object
            && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Text(value, field)
            : null;

    /// <summary>An integral number (64000.0 included) within the range of a long, else null.</summary>
    private static long? Integral(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
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
            return cacheableOnly ? "" : Text(system, "system");
        }
        if (system.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        var text = new TextJoiner();
        foreach (var block in system.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && (!cacheableOnly || IsEphemeral(block, "system"))
                && block.TryGetProperty("text"u8, out var value) && value.ValueKind == JsonValueKind.String)
            {
                text.Add(Text(value, "system"));
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
                texts.Add(Text(value, "system"));
            }
        }
        return [.. texts];
    }

    /// <summary>
    /// One pass over every message's content blocks: the first message having a block with ephemeral cache_control
    /// (null when none), checking on the way that each block's <c>type</c> and <c>cache_control.type</c> decode
    /// (the cache_control scan compares both).
    /// </summary>
    private static JsonElement? ScanMessages(JsonElement messages)
    {
        JsonElement? firstCacheable = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content"u8, out var content)
                && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }
                    EnsureText(block, "type"u8, "messages");
                    if (IsEphemeral(block, "messages") && firstCacheable is null)
                    {
                        firstCacheable = message;
                    }
                }
            }
        }
        return firstCacheable;
    }

    /// <summary>System blocks: <c>type</c> is compared by the cache_control scan and the OAuth rewrite.</summary>
    private static void EnsureSystemBlocks(JsonElement system)
    {
        if (system.ValueKind == JsonValueKind.Array)
        {
            EnsureBlockTypes(system, "system");
        }
    }

    private static void EnsureBlockTypes(JsonElement blocks, string field)
    {
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object)
            {
                EnsureText(block, "type"u8, field);
            }
        }
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
            return Text(content, "messages");
        }
        var text = new TextJoiner();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object
                    && block.TryGetProperty("type"u8, out var type) && IsString(type, "text"u8, "messages")
                    && block.TryGetProperty("text"u8, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    text.Add(Text(value, "messages"));
                }
            }
        }
        return text.ToString();
    }

    private static bool IsEphemeral(JsonElement block, string field) =>
        block.TryGetProperty("cache_control"u8, out var cc) && cc.ValueKind == JsonValueKind.Object
        && cc.TryGetProperty("type"u8, out var type) && IsString(type, "ephemeral"u8, field);

    // ValueEquals throws on non-strings, and on strings that do not decode.
    private static bool IsString(JsonElement element, ReadOnlySpan<byte> value, string field)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        EnsureText(element, field);
        return element.ValueEquals(value);
    }

    /// <summary>The string, or <see cref="NotUnicodeException"/> naming <paramref name="field"/> when it does not decode.</summary>
    private static string Text(JsonElement value, string field)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new NotUnicodeException(field);
        }
    }

    private static void EnsureText(JsonElement obj, ReadOnlySpan<byte> name, string field)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            EnsureText(value, field);
        }
    }

    /// <summary>Checks that a string decodes without materialising it: only an escape can make valid UTF-8 undecodable
    /// (a lone surrogate), so unescaped strings, nearly all of them, cost one vectorised search.</summary>
    private static void EnsureText(JsonElement value, string field)
    {
        if (JsonMarshal.GetRawUtf8Value(value).Contains((byte)'\\'))
        {
            _ = Text(value, field);
        }
    }

    /// <summary>A string the relay reads holds a lone surrogate escape; caught in <see cref="TryParse"/>.</summary>
    private sealed class NotUnicodeException(string field) : Exception
    {
        public string Field { get; } = field;
    }

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

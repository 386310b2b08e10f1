using System.Text.Json;
using System.Text.Unicode;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// Reads the top level of a Responses or Chat Completions request. <see cref="JsonDocument"/> over the caller's
/// memory does not copy the body; only the fields of <see cref="OpenAIRequestInfo"/> are materialised. Every error
/// is the client's mistake (a 400 in OpenAI's shape), said in words the client can act on.
/// </summary>
internal static class OpenAIRequestParser
{
    public const string EmptyBody = "Request body is empty";
    public const string NotUtf8 = "Request body is not valid UTF-8";
    public const string ParseFailed = "Failed to parse request body as JSON";
    public const string DuplicateProperty = "Request body has a duplicate property name";
    public const string NotAnObject = "Request body must be a JSON object";
    public const string ModelRequired = "model is required";
    public const string ModelNotString = "model must be a string";
    public const string ModelNotUnicode = "model is not valid Unicode text";
    public const string StreamNotBoolean = "stream must be a boolean";
    public const string InputRequired = "input is required (or previous_response_id, prompt or conversation)";
    public const string InputWrongType = "input must be a string or an array";
    public const string InstructionsWrongType = "instructions must be a string";
    public const string MessagesRequired = "messages must be a non-empty array";
    public const string StreamOptionsNotObject = "stream_options must be an object";

    // Duplicate keys are refused: otherwise the gateway could bill/route one "model" while the upstream reads
    // another (parsers disagree on first-wins vs last-wins), and the body rewriter edits the first.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>A <c>POST /v1/responses</c> (or <c>/responses/compact</c>) body.</summary>
    /// <remarks>The Responses API accepts a request without <c>input</c> only when the conversation comes from
    /// elsewhere: a stored previous response, a stored prompt template, or a conversation object.</remarks>
    public static bool TryParseResponses(ReadOnlyMemory<byte> body, out OpenAIRequestInfo? info, out string? error) =>
        TryParse(body, ReadResponses, out info, out error);

    /// <summary>A <c>POST /v1/chat/completions</c> body.</summary>
    public static bool TryParseChat(ReadOnlyMemory<byte> body, out OpenAIRequestInfo? info, out string? error) =>
        TryParse(body, ReadChat, out info, out error);

    private delegate string? Reader(JsonElement root, out OpenAIRequestInfo? info);

    private static bool TryParse(ReadOnlyMemory<byte> body, Reader read, out OpenAIRequestInfo? info, out string? error)
    {
        info = null;
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = EmptyBody;
            return false;
        }
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
        catch (JsonException e)
        {
            error = e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? DuplicateProperty : ParseFailed;
            return false;
        }
        catch (InvalidOperationException)
        {
            // The duplicate check decodes every property name; one with a lone surrogate escape cannot be.
            error = ParseFailed;
            return false;
        }
        using (document)
        {
            error = read(document.RootElement, out info);
            return error is null;
        }
    }

    private static string? ReadResponses(JsonElement root, out OpenAIRequestInfo? info)
    {
        info = null;
        if (ReadCommon(root, out var model, out var stream, out var promptCacheKey) is { } error)
        {
            return error;
        }
        if (root.TryGetProperty("input"u8, out var input) && input.ValueKind != JsonValueKind.Null)
        {
            if (input.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                return InputWrongType;
            }
        }
        else if (!HasAny(root, "previous_response_id"u8) && !HasAny(root, "prompt"u8) && !HasAny(root, "conversation"u8))
        {
            return InputRequired;
        }
        var hasInstructions = false;
        if (root.TryGetProperty("instructions"u8, out var instructions))
        {
            switch (instructions.ValueKind)
            {
                case JsonValueKind.String: hasInstructions = RawStringLength(instructions) > 0; break;
                case JsonValueKind.Null: break;
                default: return InstructionsWrongType;
            }
        }
        info = new OpenAIRequestInfo(model!, stream, promptCacheKey, IncludeUsage: false, hasInstructions);
        return null;
    }

    private static string? ReadChat(JsonElement root, out OpenAIRequestInfo? info)
    {
        info = null;
        if (ReadCommon(root, out var model, out var stream, out var promptCacheKey) is { } error)
        {
            return error;
        }
        if (!root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array
            || messages.GetArrayLength() == 0)
        {
            return MessagesRequired;
        }
        var includeUsage = false;
        if (root.TryGetProperty("stream_options"u8, out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                return StreamOptionsNotObject;
            }
            includeUsage = options.TryGetProperty("include_usage"u8, out var flag) && flag.ValueKind == JsonValueKind.True;
        }
        var hasInstructions = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role"u8, out var role)
                && role.ValueKind == JsonValueKind.String && (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8)))
            {
                hasInstructions = true;
                break;
            }
        }
        info = new OpenAIRequestInfo(model!, stream, promptCacheKey, includeUsage, hasInstructions);
        return null;
    }

    /// <summary>model, stream and prompt_cache_key: the same rules on both routes.</summary>
    private static string? ReadCommon(JsonElement root, out string? model, out bool stream, out string? promptCacheKey)
    {
        model = null;
        stream = false;
        promptCacheKey = null;
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
        if (TryText(modelElement) is not { } text)
        {
            return ModelNotUnicode;
        }
        if (text.Trim().Length == 0)
        {
            return ModelRequired;
        }
        model = text;
        if (root.TryGetProperty("stream"u8, out var streamElement))
        {
            switch (streamElement.ValueKind)
            {
                case JsonValueKind.True: stream = true; break;
                case JsonValueKind.False or JsonValueKind.Null: break;
                default: return StreamNotBoolean;
            }
        }
        // A key that is not a usable string is no key: stickiness falls back to the next source, the
        // upstream judges the field.
        if (root.TryGetProperty("prompt_cache_key"u8, out var key) && key.ValueKind == JsonValueKind.String
            && TryText(key) is { } keyText && keyText.Trim().Length > 0)
        {
            promptCacheKey = keyText;
        }
        return null;
    }

    private static bool HasAny(JsonElement root, ReadOnlySpan<byte> name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The string, or null when it holds a lone surrogate escape and cannot be decoded.</summary>
    private static string? TryText(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The raw length of a string element's content (0 for ""), without decoding it.</summary>
    private static int RawStringLength(JsonElement value) =>
        System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length - 2;
}

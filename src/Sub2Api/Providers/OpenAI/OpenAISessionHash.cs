using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// The sticky-session key of an OpenAI request: "openai:" + lower-case hex SHA-256, or "" when nothing identifies
/// the conversation. Explicit ids are hashed as sent, so the key matches what other nodes (and the original) compute
/// for the same id; a content hash is prefixed with a NUL byte no header or cache key can contain, so it never
/// equals an id's hash.
/// </summary>
internal static class OpenAISessionHash
{
    public const string Prefix = "openai:";

    // Header names in precedence order. Codex CLI 0.169 sends session-id and thread-id (dashes); older clients and
    // the original's forwarding use session_id / conversation_id (underscores).
    private static readonly string[] SessionHeaders = ["session_id", "session-id"];
    private static readonly string[] ConversationHeaders = ["conversation_id", "conversation-id", "thread-id"];

    private const int MaxIdLength = 1024;

    /// <summary>
    /// Order: 1) header session_id / session-id; 2) header conversation_id / conversation-id / thread-id; 3) the
    /// body's prompt_cache_key; 4) a hash of the conversation's opening: the instructions (else the first
    /// system/developer message) and the first user message, which stay the same on every turn of one conversation
    /// while later turns only append; 5) "".
    /// </summary>
    public static string Compute(OpenAIRequestInfo info, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(headers);
        var id = FirstHeader(headers, SessionHeaders) ?? FirstHeader(headers, ConversationHeaders) ?? Usable(info.PromptCacheKey);
        if (id is not null)
        {
            return HashId(id);
        }
        return ContentHash(body);
    }

    /// <summary>"openai:" + hex SHA-256 of the id's UTF-8 bytes.</summary>
    public static string HashId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(id.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(id, rented);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(rented.AsSpan(0, count), digest);
            return Prefix + Convert.ToHexStringLower(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string? FirstHeader(IHeaderDictionary headers, string[] names)
    {
        foreach (var name in names)
        {
            if (Usable(First(headers[name])) is { } value)
            {
                return value;
            }
        }
        return null;
    }

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    private static string? Usable(string? id)
    {
        var trimmed = id?.Trim();
        return trimmed is { Length: > 0 and <= MaxIdLength } ? trimmed : null;
    }

    /// <summary>The content hash of the body's opening, or "" when it has neither instructions nor a user text.
    /// Reads raw bytes: nothing is materialised as a string.</summary>
    private static string ContentHash(ReadOnlySpan<byte> body)
    {
        Range system, user;
        try
        {
            (system, user) = Opening(body);
        }
        catch (JsonException)
        {
            return "";
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        var any = AppendText(hash, body, system);
        hash.AppendData([0x01]);
        any |= AppendText(hash, body, user);
        if (!any)
        {
            return "";
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Prefix + Convert.ToHexStringLower(digest);
    }

    /// <summary>Where the system text (instructions, else the first system/developer message's content) and the
    /// first user message's content lie in the body; an empty range when absent.</summary>
    private static (Range System, Range User) Opening(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }
        Range instructions = default, firstSystem = default, firstUser = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isInstructions = reader.ValueTextEquals("instructions"u8);
            var isConversation = reader.ValueTextEquals("input"u8) || reader.ValueTextEquals("messages"u8);
            reader.Read();
            if (isInstructions && reader.TokenType == JsonTokenType.String)
            {
                instructions = ValueRange(ref reader);
            }
            else if (isConversation && reader.TokenType == JsonTokenType.String)
            {
                firstUser = ValueRange(ref reader);
            }
            else if (isConversation && reader.TokenType == JsonTokenType.StartArray)
            {
                ReadMessages(ref reader, ref firstSystem, ref firstUser);
            }
            else
            {
                reader.Skip();
            }
        }
        return (IsEmpty(instructions) ? firstSystem : instructions, firstUser);
    }

    /// <summary>Scans message items up to the first user message; the reader ends on the array's end.</summary>
    private static void ReadMessages(ref Utf8JsonReader reader, ref Range firstSystem, ref Range firstUser)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !IsEmpty(firstUser))
            {
                reader.Skip();
                continue;
            }
            var role = Role.Other;
            Range content = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRole = reader.ValueTextEquals("role"u8);
                var isContent = reader.ValueTextEquals("content"u8);
                reader.Read();
                if (isRole && reader.TokenType == JsonTokenType.String)
                {
                    role = reader.ValueTextEquals("user"u8) ? Role.User
                        : reader.ValueTextEquals("system"u8) || reader.ValueTextEquals("developer"u8) ? Role.System
                        : Role.Other;
                }
                else if (isContent)
                {
                    content = ValueRange(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            if (role == Role.User)
            {
                firstUser = content;
            }
            else if (role == Role.System && IsEmpty(firstSystem))
            {
                firstSystem = content;
            }
        }
    }

    private enum Role { Other, User, System }

    /// <summary>The current value's bytes [start, end); the reader ends on the value's last token.</summary>
    private static Range ValueRange(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return start..(int)reader.BytesConsumed;
    }

    private static bool IsEmpty(Range range) => range.Start.Value == range.End.Value;

    /// <summary>Appends a content value's text: a string, or every part's <c>text</c> string (input_text,
    /// output_text, text). True when any text was appended.</summary>
    private static bool AppendText(IncrementalHash hash, ReadOnlySpan<byte> body, Range range)
    {
        if (IsEmpty(range))
        {
            return false;
        }
        var reader = new Utf8JsonReader(body[range], new JsonReaderOptions { MaxDepth = 64 });
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return AppendString(hash, ref reader);
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var any = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    any |= AppendString(hash, ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        return any;
    }

    /// <summary>Appends the unescaped UTF-8 of the current string token (no string is created).</summary>
    private static bool AppendString(IncrementalHash hash, ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            hash.AppendData(reader.ValueSpan);
            return reader.ValueSpan.Length > 0;
        }
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            // A lone surrogate escape cannot be unescaped to UTF-8: hash the raw escaped bytes instead.
            int written;
            try
            {
                written = reader.CopyString(rented);
            }
            catch (InvalidOperationException)
            {
                hash.AppendData(reader.ValueSpan);
                return true;
            }
            hash.AppendData(rented.AsSpan(0, written));
            return written > 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

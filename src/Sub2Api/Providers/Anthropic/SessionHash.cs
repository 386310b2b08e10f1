using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// The sticky-session key (SPEC §4.2 plus the ids newer clients send). Explicit ids come back as "s:" + id,
/// content hashes as "h:" + base-36 XxHash64, so the two can never collide; "" means no stickiness.
/// </summary>
internal static partial class SessionHash
{
    // Bounds the Redis key (sticky_session:{group}:{hash}) a client can make us write.
    private const int MaxIdLength = 256;

    [GeneratedRegex("session_([a-f0-9-]{36})")]
    private static partial Regex LegacySessionId();

    /// <summary>
    /// Order: 1) header x-claude-code-session-id (Claude Code 2.x); 2) metadata.user_id as a JSON string with
    /// session_id (Claude Code 2.x); 3) metadata.user_id matching <c>session_([a-f0-9-]{36})</c>; 4) header
    /// x-session-affinity (OpenCode, PR #1578); 5) hash of the system prompt (its cacheable part when there is
    /// one) + U+0001 + the first message's text; 6) "".
    /// </summary>
    /// <remarks>
    /// Step 5 deliberately includes the first message: the original hashed only a cacheable system prompt, which
    /// pinned every conversation of a client to one account. It uses messages[0] rather than the first message
    /// carrying cache_control because clients move that breakpoint to the newest turn, which would re-key the
    /// conversation on every turn (SPEC §11.7, claude-relay-service PR #334); messages[0] never changes.
    /// </remarks>
    public static string Compute(AnthropicRequestInfo info, IHeaderDictionary headers)
    {
        if (ExplicitId(headers[AnthropicHeaders.ClaudeCodeSessionId]) is { } claudeCode)
        {
            return "s:" + claudeCode;
        }
        if (info.MetadataUserId is { Length: > 0 } userId)
        {
            if (ClaudeCodeUserId.TryGetSessionId(userId) is { } jsonSession && Usable(jsonSession))
            {
                return "s:" + jsonSession;
            }
            if (LegacySessionId().Match(userId) is { Success: true } match)
            {
                return "s:" + match.Groups[1].Value;
            }
        }
        if (ExplicitId(headers[AnthropicHeaders.SessionAffinity]) is { } affinity)
        {
            return "s:" + affinity;
        }
        var system = info.CacheableSystemText.Length > 0 ? info.CacheableSystemText : info.SystemText;
        if (system.Length == 0 && info.FirstMessageText.Length == 0)
        {
            return "";
        }
        var hasher = new XxHash64();
        AppendUtf8(hasher, system);
        hasher.Append([0x01]);
        AppendUtf8(hasher, info.FirstMessageText);
        return "h:" + ToBase36(hasher.GetCurrentHashAsUInt64());
    }

    private static string? ExplicitId(StringValues values)
    {
        var value = values.Count > 0 ? values[0]?.Trim() : null;
        return value is not null && Usable(value) ? value : null;
    }

    /// <summary>Printable ASCII without spaces, bounded: anything else is not an id we key Redis on.</summary>
    private static bool Usable(string id) =>
        id.Length is > 0 and <= MaxIdLength && !id.AsSpan().ContainsAnyExceptInRange('!', '~');

    private static void AppendUtf8(XxHash64 hasher, string text)
    {
        if (text.Length == 0)
        {
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(Math.Min(text.Length, 4096)));
        try
        {
            // Chunked so a 100 KB prompt needs a 12 KB buffer, not its full UTF-8 size. The encoder keeps
            // surrogate pairs that straddle a chunk boundary, so the bytes equal a one-shot encoding.
            var encoder = Encoding.UTF8.GetEncoder();
            var remaining = text.AsSpan();
            while (!remaining.IsEmpty)
            {
                var chunk = remaining[..Math.Min(remaining.Length, 4096)];
                remaining = remaining[chunk.Length..];
                var count = encoder.GetBytes(chunk, rented, flush: remaining.IsEmpty);
                hasher.Append(rented.AsSpan(0, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Go's strconv.FormatUint(v, 36): lower-case digits, no padding.</summary>
    internal static string ToBase36(ulong value)
    {
        Span<char> buffer = stackalloc char[13];
        var position = buffer.Length;
        do
        {
            buffer[--position] = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(value % 36)];
            value /= 36;
        }
        while (value != 0);
        return new string(buffer[position..]);
    }
}

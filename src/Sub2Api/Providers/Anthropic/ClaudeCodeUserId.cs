using System.Text;

using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Claude Code 2.x sends <c>metadata.user_id</c> as a JSON object in a string:
/// <c>{"device_id":"…","account_uuid":"","session_id":"&lt;uuid&gt;"}</c> (STACK.md, CLI 2.1.197).
/// </summary>
internal static class ClaudeCodeUserId
{
    // Real values are ~150 bytes; anything far larger is not this shape and not worth parsing.
    private const int MaxLength = 4096;

    /// <summary>The session_id when <paramref name="userId"/> is that JSON shape, else null (never throws).</summary>
    public static string? TryGetSessionId(string userId)
    {
        if (!LooksLikeJson(userId))
        {
            return null;
        }
        var session = JsonBytes.TryGetString(Encoding.UTF8.GetBytes(userId), "session_id"u8);
        return string.IsNullOrEmpty(session) ? null : session;
    }

    public static bool LooksLikeJson(string userId) =>
        userId.Length <= MaxLength && userId.AsSpan().TrimStart().StartsWith('{');
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// OAuth identity rewrite of <c>metadata.user_id</c> (SPEC §6.3): the upstream sees the account's own client id
/// and account uuid, and a session uuid derived per account, never the gateway user's identifiers.
/// </summary>
internal static partial class OAuthUserId
{
    // The original required an empty account part; clients logged in to their own account send one, and it
    // must be replaced all the same.
    [GeneratedRegex("^user_[a-f0-9]{64}_account_.*_session_([a-f0-9-]{36})$")]
    private static partial Regex LegacyForm();

    /// <summary>
    /// (a) <c>user_&lt;64hex&gt;_account_&lt;any&gt;_session_&lt;uuid&gt;</c> →
    /// <c>user_{clientId}_account_{accountUuid}_session_{UuidFromSha256("{accountId}::{uuid}")}</c>;
    /// (b) Claude Code 2.x JSON with session_id → the same JSON with device_id, account_uuid and session_id
    /// replaced in place (other fields and formatting kept; a missing device_id/account_uuid is appended).
    /// Null when the input is neither.
    /// </summary>
    public static string? Rewrite(string userId, long accountId, string accountUuid, string clientId)
    {
        if (LegacyForm().Match(userId) is { Success: true } match)
        {
            return $"user_{clientId}_account_{accountUuid}_session_{DeriveSession(accountId, match.Groups[1].Value)}";
        }
        if (ClaudeCodeUserId.TryGetSessionId(userId) is not { } session)
        {
            return null;
        }
        var json = Encoding.UTF8.GetBytes(userId);
        ByteEdit[] edits;
        try
        {
            // Each Set scans the tiny object once; sorting keeps Splice's ordered, disjoint contract.
            edits =
            [
                JsonBytes.Set(json, "device_id"u8, JsonBytes.EncodeString(clientId)),
                JsonBytes.Set(json, "account_uuid"u8, JsonBytes.EncodeString(accountUuid)),
                JsonBytes.Set(json, "session_id"u8, JsonBytes.EncodeString(DeriveSession(accountId, session))),
            ];
        }
        catch (InvalidOperationException)
        {
            // A property name with a lone surrogate escape cannot be compared: not the shape we rewrite.
            return null;
        }
        // Stable: two appends at the same position keep the order above.
        var ordered = edits.OrderBy(e => e.Start).ToArray();
        return Encoding.UTF8.GetString(JsonBytes.Splice(json, ordered));
    }

    /// <summary>First 16 bytes of SHA-256(input) as a version-4, RFC-variant UUID, lower case 8-4-4-4-12
    /// (<c>generateUUIDFromSeed</c> in the original).</summary>
    public static string UuidFromSha256(string input)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(input), hash);
        hash[6] = (byte)((hash[6] & 0x0f) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
        var hex = Convert.ToHexStringLower(hash[..16]);
        return string.Create(36, hex, static (chars, h) =>
        {
            h.AsSpan(0, 8).CopyTo(chars);
            chars[8] = '-';
            h.AsSpan(8, 4).CopyTo(chars[9..]);
            chars[13] = '-';
            h.AsSpan(12, 4).CopyTo(chars[14..]);
            chars[18] = '-';
            h.AsSpan(16, 4).CopyTo(chars[19..]);
            chars[23] = '-';
            h.AsSpan(20, 12).CopyTo(chars[24..]);
        });
    }

    private static string DeriveSession(long accountId, string originalSession) =>
        UuidFromSha256(string.Create(CultureInfo.InvariantCulture, $"{accountId}::{originalSession}"));
}

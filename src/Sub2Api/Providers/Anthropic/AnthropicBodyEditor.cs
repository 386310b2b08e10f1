using System.Text.Json;

using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Surgical edits of a /v1/messages body (SPEC §6.3, §12). Each method changes only the bytes it names and
/// copies the rest verbatim, so thinking signatures and client formatting survive. Input must be a JSON object
/// that <see cref="AnthropicRequestParser"/> accepted. Because the input is a span, "unchanged" cannot hand
/// back the caller's array: the <c>byte[]</c> methods return a fresh copy with identical content, and
/// <see cref="EnforceCacheControlLimit"/> returns null so the hot path can keep its buffer.
/// </summary>
internal static partial class AnthropicBodyEditor
{
    private static ReadOnlySpan<byte> BannerSystem =>
        """[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}}]"""u8;

    /// <summary>Sets the top-level <c>model</c> (model mapping, OAuth dated ids). Nested "model" keys
    /// (tool inputs, metadata) are never touched. Appended when absent; a copy when already equal.</summary>
    public static byte[] ReplaceModel(ReadOnlySpan<byte> body, string newModel) => JsonBytes.SetTopLevelString(body, "model"u8, newModel);

    /// <summary>
    /// Mimic mode's minimal banner (SPEC §6.3): when <c>system</c> is absent or null it becomes the single
    /// cached banner block. A present system (string or blocks) is left alone here: prefixing existing
    /// prompts is a separate, model-dependent step. Unchanged → a copy.
    /// </summary>
    public static byte[] InjectSystemBanner(ReadOnlySpan<byte> body)
    {
        if (JsonBytes.TryFind(body, "system"u8, out var value, out var root))
        {
            return value.Kind == JsonTokenType.Null
                ? JsonBytes.Splice(body, new ByteEdit(value.Start, value.End, BannerSystem.ToArray()))
                : body.ToArray();
        }
        return JsonBytes.Splice(body, JsonBytes.Append(root, "system"u8, BannerSystem));
    }

    /// <summary>
    /// Replaces the string value of <c>metadata.user_id</c> (OAuth identity, SPEC §6.3). Only that string's bytes
    /// change; the rest of <c>metadata</c> keeps its formatting. Throws when it is missing: sending the client's
    /// own identity upstream by accident is worse than failing the request.
    /// </summary>
    public static byte[] ReplaceMetadataUserId(ReadOnlySpan<byte> body, string newUserId)
    {
        if (JsonBytes.TryFind(body, "metadata"u8, out var metadata, out _) && metadata.Kind == JsonTokenType.StartObject)
        {
            var slice = body[metadata.Start..metadata.End];
            if (JsonBytes.TryFind(slice, "user_id"u8, out var userId, out _) && userId.Kind == JsonTokenType.String)
            {
                var start = metadata.Start + userId.Start;
                var end = metadata.Start + userId.End;
                return JsonBytes.Splice(body, new ByteEdit(start, end, JsonBytes.EncodeString(newUserId)));
            }
        }
        throw new InvalidOperationException("metadata.user_id is missing or not a string");
    }
}

using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

/// <summary>What to change in an OAuth account's body (SPEC §6.3).</summary>
/// <param name="UpstreamModel">The model to send (the dated id); the top-level model is replaced when it differs.</param>
/// <param name="Mimic">Not a Claude Code client: normalizeClaudeOAuthRequestBody applies.</param>
/// <param name="Banner">Mimic mode may prepend the Claude Code banner (false for count_tokens and haiku models);
/// it is still skipped when the system already carries a known Claude Code prompt.</param>
/// <param name="MetadataUserId">Mimic mode: the user_id to inject when <c>metadata.user_id</c> is missing or empty.</param>
internal sealed record OAuthBodyPlan(string UpstreamModel, bool Mimic, bool Banner, string? MetadataUserId);

/// <summary>
/// The OAuth body rewrites of SPEC §6.3 in one scan of the top level: billing-header system blocks removed (every
/// OAuth account), the dated model id, and for mimic mode the banner, the OpenCode identity, <c>tools: []</c>,
/// system cache_control, metadata.user_id, and no <c>temperature</c>/<c>tool_choice</c>. Only the values it changes
/// are re-serialised (the system array, metadata); every other byte is copied, so signatures survive.
/// </summary>
internal static class OAuthBodyRewriter
{
    public const string BillingHeaderPrefix = "x-anthropic-billing-header";
    public const string OpenCodeIdentity = "You are OpenCode, the best coding agent on the planet.";

    private static ReadOnlySpan<byte> BannerBlock =>
        """{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}}"""u8;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The rewritten body, or null when nothing changes.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> body, OAuthBodyPlan plan)
    {
        var properties = JsonBytes.Properties(body, out var root);
        var remove = new bool[properties.Count];
        var edits = new List<ByteEdit>();
        bool hasSystem = false, hasTools = false, hasMetadata = false;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var value = body[property.ValueStart..property.ValueEnd];
            switch (property.Name)
            {
                case "system":
                    hasSystem = true;
                    switch (RewriteSystem(value, property.Kind, plan))
                    {
                        case { Remove: true }:
                            remove[i] = true;
                            break;
                        case { Value: { } system }:
                            edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, system));
                            break;
                    }
                    break;
                case "model" when property.Kind == JsonTokenType.String:
                    var encoded = JsonBytes.EncodeString(plan.UpstreamModel);
                    if (!value.SequenceEqual(encoded))
                    {
                        edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, encoded));
                    }
                    break;
                case "tools":
                    hasTools = true;
                    break;
                case "metadata":
                    hasMetadata = true;
                    if (plan is { Mimic: true, MetadataUserId: { } userId })
                    {
                        var metadata = property.Kind == JsonTokenType.StartObject ? SetUserId(value, userId) : NewMetadata(userId);
                        edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, metadata));
                    }
                    break;
                case "temperature" or "tool_choice" when plan.Mimic:
                    remove[i] = true;
                    break;
            }
        }
        JsonBytes.RemoveProperties(properties, remove, edits);
        if (!hasSystem && RewriteSystem([], JsonTokenType.None, plan) is { Value: { } newSystem })
        {
            edits.Add(JsonBytes.Append(root, "system"u8, newSystem));
        }
        if (plan.Mimic && !hasTools)
        {
            edits.Add(JsonBytes.Append(root, "tools"u8, "[]"u8));
        }
        if (plan is { Mimic: true, MetadataUserId: { } injected } && !hasMetadata)
        {
            edits.Add(JsonBytes.Append(root, "metadata"u8, NewMetadata(injected)));
        }
        return edits.Count == 0 ? null : JsonBytes.Splice(body, [.. edits.OrderBy(e => e.Start)]);
    }

    /// <summary>True when a system prompt (string, or any text block) starts with a known Claude Code prompt.</summary>
    public static bool SystemIncludesClaudeCodePrompt(JsonElement system) => system.ValueKind switch
    {
        JsonValueKind.String => HasClaudeCodePrefix(system.GetString()!),
        JsonValueKind.Array => system.EnumerateArray().Any(b => Text(b) is { } text && HasClaudeCodePrefix(text)),
        _ => false,
    };

    private static bool HasClaudeCodePrefix(string text) =>
        AnthropicHeaders.KnownBannerPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal));

    private readonly record struct SystemEdit(bool Remove, byte[]? Value);

    /// <summary>One system block to write: the original (raw unless edited), or the banner.</summary>
    private sealed record SystemBlock(JsonElement? Original, string? NewText = null, bool StripCacheControl = false, bool IsBanner = false);

    /// <summary>The system edit; <paramref name="kind"/> None means absent.</summary>
    private static SystemEdit RewriteSystem(ReadOnlySpan<byte> raw, JsonTokenType kind, OAuthBodyPlan plan)
    {
        using var document = raw.IsEmpty ? null : JsonDocument.Parse(raw.ToArray());
        var original = document?.RootElement;
        var changed = false;
        string? text = null;
        List<SystemBlock>? blocks = null;
        if (original is { ValueKind: JsonValueKind.String } s)
        {
            text = s.GetString()!;
            if (text.StartsWith(BillingHeaderPrefix, StringComparison.Ordinal))
            {
                text = null;
                changed = true;
                kind = JsonTokenType.None; // a billing-header string system is deleted
            }
        }
        else if (original is { ValueKind: JsonValueKind.Array } array)
        {
            blocks = [];
            foreach (var block in array.EnumerateArray())
            {
                if (Text(block) is { } t && t.StartsWith(BillingHeaderPrefix, StringComparison.Ordinal))
                {
                    changed = true;
                    continue;
                }
                blocks.Add(new SystemBlock(block));
            }
        }

        var bannerInjected = false;
        if (plan.Mimic && plan.Banner && (original is not { } o || !SystemIncludesClaudeCodePrompt(o)))
        {
            bannerInjected = changed = true;
            var prefix = AnthropicHeaders.Banner;
            var next = new List<SystemBlock> { new(null, IsBanner: true) };
            if (text is not null && text.Trim().Length > 0 && text.Trim() != prefix)
            {
                next.Add(new SystemBlock(null, text.StartsWith(prefix, StringComparison.Ordinal) ? text : prefix + "\n\n" + text));
            }
            else if (blocks is not null)
            {
                var prefixed = false;
                foreach (var block in blocks)
                {
                    var blockText = Text(block.Original!.Value);
                    if (blockText is not null && blockText.Trim() == prefix)
                    {
                        continue; // the exact duplicate of the banner
                    }
                    if (!prefixed && blockText is { } bt && IsTextBlock(block.Original.Value) && bt.Trim().Length > 0
                        && !bt.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        next.Add(block with { NewText = prefix + "\n\n" + bt });
                        prefixed = true;
                        continue;
                    }
                    next.Add(block);
                }
            }
            blocks = next;
            text = null;
        }

        if (plan.Mimic)
        {
            if (text is not null && text.Contains(OpenCodeIdentity, StringComparison.Ordinal))
            {
                text = text.Replace(OpenCodeIdentity, AnthropicHeaders.Banner, StringComparison.Ordinal);
                changed = true;
            }
            for (var i = 0; blocks is not null && i < blocks.Count; i++)
            {
                var block = blocks[i];
                if (block.IsBanner)
                {
                    continue;
                }
                var current = block.NewText ?? (block.Original is { } e && IsTextBlock(e) ? Text(e) : null);
                if (current is not null && current.Contains(OpenCodeIdentity, StringComparison.Ordinal))
                {
                    block = block with { NewText = current.Replace(OpenCodeIdentity, AnthropicHeaders.Banner, StringComparison.Ordinal) };
                    changed = true;
                }
                // With the banner injected its cache breakpoint stays; otherwise the client's breakpoints go.
                if (!bannerInjected && block.Original is { ValueKind: JsonValueKind.Object } element
                    && element.TryGetProperty("cache_control"u8, out _))
                {
                    block = block with { StripCacheControl = true };
                    changed = true;
                }
                blocks[i] = block;
            }
        }

        if (!changed)
        {
            return default;
        }
        if (blocks is null && text is null)
        {
            return kind == JsonTokenType.None ? new SystemEdit(Remove: true, null) : default;
        }
        return new SystemEdit(false, text is not null ? JsonBytes.EncodeString(text) : Write(blocks!));
    }

    private static byte[] Write(List<SystemBlock> blocks)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var block in blocks)
            {
                if (block.IsBanner)
                {
                    writer.WriteRawValue(BannerBlock, skipInputValidation: true);
                }
                else if (block.Original is not { } element)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text"u8);
                    writer.WriteString("text"u8, block.NewText);
                    writer.WriteEndObject();
                }
                else if (block.NewText is null && !block.StripCacheControl)
                {
                    writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                }
                else
                {
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        if (block.StripCacheControl && property.NameEquals("cache_control"u8))
                        {
                            continue;
                        }
                        writer.WritePropertyName(property.Name);
                        if (block.NewText is not null && property.NameEquals("text"u8))
                        {
                            writer.WriteStringValue(block.NewText);
                        }
                        else
                        {
                            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
                        }
                    }
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string? Text(JsonElement block) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;

    private static bool IsTextBlock(JsonElement block) =>
        block.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("text"u8);

    /// <summary>Sets <c>user_id</c> inside the metadata object; its other bytes are kept.</summary>
    private static byte[] SetUserId(ReadOnlySpan<byte> metadata, string userId) =>
        JsonBytes.Splice(metadata, JsonBytes.Set(metadata, "user_id"u8, JsonBytes.EncodeString(userId)));

    private static byte[] NewMetadata(string userId)
    {
        var encoded = JsonBytes.EncodeString(userId);
        return [.. "{\"user_id\":"u8, .. encoded, (byte)'}'];
    }
}

using System.Runtime.InteropServices;
using System.Text.Json;

using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

internal static partial class AnthropicBodyEditor
{
    private enum CacheSiteKind
    {
        System,
        Message,
        Tool,
    }

    /// <summary>One block's <c>cache_control</c> property and the byte range that removes it with its comma.</summary>
    private readonly record struct CacheSite(CacheSiteKind Kind, int RemoveStart, int RemoveEnd, bool IsThinking, bool IsActive);

    /// <summary>
    /// Anthropic rejects more than 4 cache breakpoints and any on thinking blocks (SPEC §6.3). Strips
    /// <c>cache_control</c> from thinking/redacted_thinking blocks, then, while more than <paramref name="max"/>
    /// remain, removes them from <c>messages[].content[]</c> front to back, then from <c>system[]</c> back to
    /// front. Breakpoints on <c>tools[]</c> count toward the limit (upstream counts them) but are never removed.
    /// Returns null when nothing changes; the fast path decides that from a byte count without parsing.
    /// </summary>
    public static byte[]? EnforceCacheControlLimit(ReadOnlySpan<byte> body, int max = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var occurrences = body.Count("cache_control"u8);
        // `thinking"` matches both "thinking" and "redacted_thinking" type values; without it no block can be one.
        if (occurrences == 0 || (occurrences <= max && body.IndexOf("thinking\""u8) < 0))
        {
            return null;
        }

        var sites = new List<CacheSite>();
        CollectCacheSites(body, sites);
        var remove = new bool[sites.Count];
        var active = 0;
        for (var i = 0; i < sites.Count; i++)
        {
            remove[i] = sites[i].IsThinking;
            active += !sites[i].IsThinking && sites[i].IsActive ? 1 : 0;
        }
        var excess = active - max;
        for (var i = 0; i < sites.Count && excess > 0; i++)
        {
            if (sites[i] is { Kind: CacheSiteKind.Message, IsThinking: false, IsActive: true })
            {
                remove[i] = true;
                excess--;
            }
        }
        for (var i = sites.Count - 1; i >= 0 && excess > 0; i--)
        {
            if (sites[i] is { Kind: CacheSiteKind.System, IsActive: true })
            {
                remove[i] = true;
                excess--;
            }
        }

        var edits = new List<ByteEdit>();
        for (var i = 0; i < sites.Count; i++)
        {
            if (remove[i])
            {
                edits.Add(new ByteEdit(sites[i].RemoveStart, sites[i].RemoveEnd, []));
            }
        }
        // Sites were collected in document order, so the edits are already sorted and disjoint.
        return edits.Count == 0 ? null : JsonBytes.Splice(body, CollectionsMarshal.AsSpan(edits));
    }

    private static void CollectCacheSites(ReadOnlySpan<byte> body, List<CacheSite> sites)
    {
        var reader = new Utf8JsonReader(body, JsonBytes.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            CacheSiteKind? kind = reader.ValueTextEquals("system"u8) ? CacheSiteKind.System
                : reader.ValueTextEquals("messages"u8) ? CacheSiteKind.Message
                : reader.ValueTextEquals("tools"u8) ? CacheSiteKind.Tool
                : null;
            reader.Read();
            if (kind is not { } arrayKind || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                }
                else if (arrayKind == CacheSiteKind.Message)
                {
                    ScanMessage(ref reader, sites);
                }
                else
                {
                    ScanBlock(ref reader, arrayKind, sites);
                }
            }
        }
    }

    /// <summary>Reader on a message's StartObject; scans the blocks of its <c>content</c> array.</summary>
    private static void ScanMessage(ref Utf8JsonReader reader, List<CacheSite> sites)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (!isContent || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ScanBlock(ref reader, CacheSiteKind.Message, sites);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>
    /// Reader on a block's StartObject; records its first <c>cache_control</c>. The removal range takes one
    /// comma with it: the one before (from the previous value's end) unless it is the first property, then the
    /// one after (up to the next name); alone in the object, just the property.
    /// </summary>
    private static void ScanBlock(ref Utf8JsonReader reader, CacheSiteKind kind, List<CacheSite> sites)
    {
        var previousValueEnd = -1;
        var isThinking = false;
        var found = false;
        var isActive = false;
        int nameStart = -1, valueEnd = -1, precedingValueEnd = -1, nextNameStart = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var propertyStart = (int)reader.TokenStartIndex;
            if (found && precedingValueEnd < 0 && nextNameStart < 0)
            {
                nextNameStart = propertyStart;
            }
            var isType = reader.ValueTextEquals("type"u8);
            var isCacheControl = !found && reader.ValueTextEquals("cache_control"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                isThinking = reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("redacted_thinking"u8);
            }
            else if (isCacheControl)
            {
                found = true;
                isActive = reader.TokenType != JsonTokenType.Null;
                nameStart = propertyStart;
                precedingValueEnd = previousValueEnd;
            }
            reader.Skip();
            previousValueEnd = (int)reader.BytesConsumed;
            if (isCacheControl)
            {
                valueEnd = previousValueEnd;
            }
        }
        if (!found)
        {
            return;
        }
        var (start, end) = precedingValueEnd >= 0 ? (precedingValueEnd, valueEnd)
            : nextNameStart >= 0 ? (nameStart, nextNameStart)
            : (nameStart, valueEnd);
        sites.Add(new CacheSite(kind, start, end, isThinking && kind == CacheSiteKind.Message, isActive));
    }
}

using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sub2Api.Common;

/// <summary>Replace the bytes [Start, End) with <see cref="Insert"/>; an empty insert deletes, Start == End inserts.</summary>
internal readonly record struct ByteEdit(int Start, int End, byte[] Insert);

/// <summary>Where a property's value lies in the raw bytes: [Start, End), and its first token.</summary>
internal readonly record struct ValueSpan(int Start, int End, JsonTokenType Kind);

/// <summary>An object's braces and the end of its last value (-1 when empty), for appending properties.</summary>
internal readonly record struct ObjectSpan(int Open, int Close, int LastValueEnd);

/// <summary>One property of an object: its (unescaped) name, where the name starts and where its value lies.</summary>
internal readonly record struct PropertySpan(string Name, int NameStart, int ValueStart, int ValueEnd, JsonTokenType Kind);

/// <summary>
/// Surgical edits of raw JSON (SPEC §12): <see cref="Utf8JsonReader"/> reports byte offsets, so a value is
/// located without materialising anything and spliced out; every other byte is copied verbatim. This is
/// what keeps thinking-block signatures intact (#1175), unlike re-serialising the body.
/// Callers pass JSON that already parsed (<see cref="AnthropicRequestParser"/>); malformed input throws
/// <see cref="JsonException"/>.
/// </summary>
internal static class JsonBytes
{
    /// <summary>Same limits as the parser's <see cref="JsonDocument"/> (no comments, depth 64).</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Finds the first property <paramref name="name"/> of the object <paramref name="json"/> holds
    /// (a whole body or a slice of one: the spans are relative to <paramref name="json"/>).</summary>
    public static bool TryFind(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out ValueSpan value, out ObjectSpan obj)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object");
        }
        var open = (int)reader.TokenStartIndex;
        var lastValueEnd = -1;
        var found = false;
        value = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = !found && reader.ValueTextEquals(name);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var kind = reader.TokenType;
            reader.Skip();
            lastValueEnd = (int)reader.BytesConsumed;
            if (match)
            {
                value = new ValueSpan(start, lastValueEnd, kind);
                found = true;
            }
        }
        obj = new ObjectSpan(open, (int)reader.TokenStartIndex, lastValueEnd);
        return found;
    }

    /// <summary>Every property of the object <paramref name="json"/> holds, in document order (one scan).</summary>
    public static List<PropertySpan> Properties(ReadOnlySpan<byte> json, out ObjectSpan obj)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object");
        }
        var open = (int)reader.TokenStartIndex;
        var properties = new List<PropertySpan>();
        var lastValueEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var kind = reader.TokenType;
            reader.Skip();
            lastValueEnd = (int)reader.BytesConsumed;
            properties.Add(new PropertySpan(name, nameStart, start, lastValueEnd, kind));
        }
        obj = new ObjectSpan(open, (int)reader.TokenStartIndex, lastValueEnd);
        return properties;
    }

    /// <summary>
    /// Adds the edits deleting the properties flagged in <paramref name="remove"/>, each with exactly one comma:
    /// the one before it when a kept property precedes it, else the one after it. The edits are disjoint from
    /// one another and from value replacements of the kept properties; callers sort before splicing.
    /// </summary>
    public static void RemoveProperties(IReadOnlyList<PropertySpan> properties, IReadOnlyList<bool> remove, List<ByteEdit> edits)
    {
        var keptBefore = false;
        for (var i = 0; i < properties.Count; i++)
        {
            if (!remove[i])
            {
                keptBefore = true;
                continue;
            }
            var (start, end) = keptBefore ? (properties[i - 1].ValueEnd, properties[i].ValueEnd)
                : i + 1 < properties.Count ? (properties[i].NameStart, properties[i + 1].NameStart)
                : (properties[i].NameStart, properties[i].ValueEnd);
            edits.Add(new ByteEdit(start, end, []));
        }
    }

    /// <summary>Reads the string value of the root object's property, or null when absent, not a string, not
    /// decodable (a lone surrogate escape) or <paramref name="json"/> is not a JSON object (no exception: used on
    /// client-supplied strings).</summary>
    public static string? TryGetString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        try
        {
            if (!TryFind(json, name, out var value, out _) || value.Kind != JsonTokenType.String)
            {
                return null;
            }
            var reader = new Utf8JsonReader(json[value.Start..value.End], ReaderOptions);
            reader.Read();
            return reader.GetString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An edit that sets <paramref name="name"/>: replaces its value when present, else appends it.</summary>
    public static ByteEdit Set(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, byte[] encodedValue)
    {
        if (TryFind(json, name, out var value, out var obj))
        {
            return new ByteEdit(value.Start, value.End, encodedValue);
        }
        return Append(obj, name, encodedValue);
    }

    /// <summary>Appends <c>"name":value</c> after the object's last property (or inside an empty object).</summary>
    public static ByteEdit Append(ObjectSpan obj, ReadOnlySpan<byte> name, ReadOnlySpan<byte> encodedValue)
    {
        var hasProperties = obj.LastValueEnd >= 0;
        var insert = new byte[(hasProperties ? 1 : 0) + name.Length + 3 + encodedValue.Length];
        var span = insert.AsSpan();
        if (hasProperties)
        {
            span[0] = (byte)',';
            span = span[1..];
        }
        span[0] = (byte)'"';
        name.CopyTo(span[1..]);
        span[name.Length + 1] = (byte)'"';
        span[name.Length + 2] = (byte)':';
        encodedValue.CopyTo(span[(name.Length + 3)..]);
        var at = hasProperties ? obj.LastValueEnd : obj.Open + 1;
        return new ByteEdit(at, at, insert);
    }

    /// <summary>A JSON string literal (with quotes). Relaxed escaping writes <c>\"</c> and raw UTF-8 as clients do,
    /// rather than the default encoder's <c>\u0022</c>, so a rewritten value looks like the one it replaces.</summary>
    public static byte[] EncodeString(string value)
    {
        var encoded = JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var bytes = new byte[encoded.Length + 2];
        bytes[0] = (byte)'"';
        encoded.CopyTo(bytes.AsSpan(1));
        bytes[^1] = (byte)'"';
        return bytes;
    }

    /// <summary>Applies edits sorted by position and non-overlapping; one exact-size allocation.</summary>
    public static byte[] Splice(ReadOnlySpan<byte> source, ReadOnlySpan<ByteEdit> edits)
    {
        var length = source.Length;
        var previousEnd = 0;
        foreach (var edit in edits)
        {
            Debug.Assert(edit.Start >= previousEnd && edit.End >= edit.Start, "edits must be sorted and disjoint");
            previousEnd = edit.End;
            length += edit.Insert.Length - (edit.End - edit.Start);
        }
        var result = new byte[length];
        var target = result.AsSpan();
        var from = 0;
        foreach (var edit in edits)
        {
            source[from..edit.Start].CopyTo(target);
            target = target[(edit.Start - from)..];
            edit.Insert.CopyTo(target);
            target = target[edit.Insert.Length..];
            from = edit.End;
        }
        source[from..].CopyTo(target);
        return result;
    }

    public static byte[] Splice(ReadOnlySpan<byte> source, ByteEdit edit) => Splice(source, [edit]);

    /// <summary>
    /// The body with the top-level string property <paramref name="name"/> set to <paramref name="value"/> (added when
    /// absent). Only that value's bytes change, so every other byte stays the client's.
    /// </summary>
    public static byte[] SetTopLevelString(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, string value)
    {
        var encoded = EncodeString(value);
        if (TryFind(body, name, out var found, out var root))
        {
            return body[found.Start..found.End].SequenceEqual(encoded)
                ? body.ToArray()
                : Splice(body, new ByteEdit(found.Start, found.End, encoded));
        }
        return Splice(body, Append(root, name, encoded));
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.FuzzTests.Generation;

/// <summary>
/// Breaks a valid JSON body in one way, at one place chosen at random (any field, however deep: the model, the
/// first message's text, <c>metadata.user_id</c>, a list element…). What a <see cref="JsonNode"/> cannot hold —
/// invalid UTF-8, lone surrogate escapes, 1e309, nesting thousands of levels deep — is spliced into the serialized
/// bytes in place of a placeholder.
/// </summary>
internal static class JsonMutator
{
    public static readonly string[] Kinds =
    [
        "wrong-type", "null", "huge-number", "deep-nesting", "oversized-string", "invalid-utf8", "lone-surrogate",
        "unknown-field", "duplicate-key", "not-json", "empty-body", "array-body",
    ];

    private const string Placeholder = "FUZZ_PLACEHOLDER_7f3e";

    private static readonly string[] WrongTypes =
        ["\"fuzz\"", "\"\"", "\"123\"", "12345", "-7", "0.5", "true", "false", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":1}}"];

    // No small positive integers: they could name a real row (the run's own group, say) and turn a probe into a change.
    // The values that break decimal and long arithmetic come up more often than the rest.
    private static readonly string[] HugeNumbers =
    [
        "7.9e28", "79000000000000000000000000000", "79000000000000000000000000000", "79228162514264337593543950335", "1e309", "1e309", "9223372036854775808", "-7.9e28",
        "1e309", "-1e309", "7.9e28", "79228162514264337593543950336", "-79228162514264337593543950336", "-1", "0", "-0",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648", "-2147483649",
        "1e-400", "1E+2147483648", "123456789012345678901234567890.123456789", "0.0000000000000000000000000000001", "1.0e28",
        "999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
    ];

    // 7.9e28 written out and decimal's maximum: the JSON reader takes both as decimals (it refuses the exponent form
    // "7.9e28", which the random mutations still send), so they get through to whatever stores or adds them.
    private static readonly string[] DecimalEdges = ["79000000000000000000000000000", "79228162514264337593543950335"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE, 0xFF], [0x80], [0xC0, 0xAF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0x00],
    ];

    private static readonly string[] LoneSurrogates =
        ["\"\\ud800\"", "\"a\\ud800b\"", "\"\\udc00\"", "\"\\uDFFF tail\"", "\"\\ud800\\ud800\"", "\"\\udc00\\ud800\"", "\"x\\uD83D\""];

    private static readonly string[] UnknownKeys = ["zz_unknown", "__proto__", "constructor", "$type", "", "été", "a.b", "x-api-key", "id"];

    private static readonly string[] NotJson =
    [
        "not json", "{", "}", "[", "{\"a\":}", "{\"a\":1,}", "<xml/>", "'single'", "{\"a\" 1}", "NaN", "Infinity", "undefined",
        "{}{}", "\"string\"", "12", "true", "[]", "{\"a\":\"unterminated", "\uFEFF{}", "{'a':1}", "/* c */ {}", "{\"a\":01}",
        "{\"a\":.5}", "{\"a\":+1}", "{\"a\":0x10}", "{\"a\":\"\t\"}",
    ];

    /// <summary>The bytes of <paramref name="template"/> broken as <paramref name="kind"/> says.</summary>
    public static byte[] Mutate(string kind, JsonNode template, Random random)
    {
        var body = template.DeepClone();
        var slots = Slots(body);
        switch (kind)
        {
            case "wrong-type":
                return Splice(body, Pick(random, slots), Utf8(Pick(random, WrongTypes)));
            case "null":
                return random.Next(4) switch
                {
                    0 => Utf8("null"),
                    1 => RemoveField(body, slots, random),
                    _ => Splice(body, Pick(random, slots), Utf8("null")),
                };
            case "huge-number":
                return Splice(body, Prefer(random, slots, JsonValueKind.Number), Utf8(Pick(random, HugeNumbers)));
            case "deep-nesting":
            {
                var depth = Pick(random, new[] { 65, 200, 1_000, 5_000, 20_000 });
                var nested = random.Next(2) == 0
                    ? string.Concat(new string('[', depth), new string(']', depth))
                    : string.Concat(string.Concat(Enumerable.Repeat("{\"a\":", depth)), "1", new string('}', depth));
                return random.Next(3) == 0 ? Utf8(nested) : Splice(body, Pick(random, slots), Utf8(nested));
            }
            case "oversized-string":
            {
                var size = Pick(random, new[] { 65_536, 1_048_576, 1_100_000 });
                var text = "\"" + new string((char)random.Next('a', 'z' + 1), size) + "\"";
                return Splice(body, Prefer(random, slots, JsonValueKind.String), Utf8(text));
            }
            case "invalid-utf8":
            {
                var bad = new List<byte>(Utf8("\"fuzz"));
                bad.AddRange(Pick(random, InvalidUtf8));
                bad.AddRange(Utf8("tail\""));
                return Splice(body, Prefer(random, slots, JsonValueKind.String), [.. bad]);
            }
            case "lone-surrogate":
                return Splice(body, Prefer(random, slots, JsonValueKind.String), Utf8(Pick(random, LoneSurrogates)));
            case "unknown-field":
            {
                var objects = slots.Select(s => s.Node).OfType<JsonObject>().Append(body as JsonObject).OfType<JsonObject>().ToList();
                if (objects.Count > 0)
                {
                    var target = Pick(random, objects);
                    var key = Pick(random, UnknownKeys);
                    if (!target.ContainsKey(key))
                    {
                        target[key] = JsonNode.Parse(Pick(random, WrongTypes));
                    }
                }
                return Utf8(body.ToJsonString());
            }
            case "duplicate-key":
                // Same key twice, the first with a value of another type: parsers disagree on which one wins.
                return body is JsonObject { Count: > 0 } root
                    ? Utf8("{" + JsonSerializer.Serialize(root.First().Key) + ":" + Pick(random, WrongTypes) + "," + root.ToJsonString()[1..])
                    : Utf8(body.ToJsonString());
            case "not-json":
            {
                if (random.Next(3) == 0)
                {
                    var valid = body.ToJsonString();
                    return Utf8(valid[..random.Next(1, valid.Length)]); // cut short
                }
                return Utf8(Pick(random, NotJson));
            }
            case "empty-body":
                return [];
            case "array-body":
                return Utf8("[" + body.ToJsonString() + "]");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown mutation");
        }
    }

    /// <summary>How many values of this JSON kind the body holds, at any depth.</summary>
    public static int CountValues(JsonNode template, JsonValueKind kind) =>
        Slots(template).Count(s => s.Node is JsonValue v && v.GetValueKind() == kind);

    /// <summary>
    /// The body with its <paramref name="index"/>-th value of <paramref name="valueKind"/> broken as <paramref name="kind"/>
    /// says: the sweep walks every number with 7.9e28 and every string of the relay's bodies with bad text, one by one.
    /// </summary>
    public static byte[] MutateValue(string kind, JsonNode template, JsonValueKind valueKind, int index, Random random)
    {
        var body = template.DeepClone();
        var values = Slots(body).Where(s => s.Node is JsonValue v && v.GetValueKind() == valueKind).ToList();
        if (values.Count == 0)
        {
            return Mutate(kind, template, random);
        }
        var slot = values[index % values.Count];
        byte[] raw = kind switch
        {
            "huge-number" => Utf8(Pick(random, DecimalEdges)),
            "invalid-utf8" => [.. Utf8("\"fuzz"), .. Pick(random, InvalidUtf8), .. Utf8("tail\"")],
            "lone-surrogate" => Utf8(Pick(random, LoneSurrogates)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a per-value mutation"),
        };
        return Splice(body, slot, raw);
    }

    /// <summary>A place in the tree: the node there and how to reach it from its parent.</summary>
    private sealed record Slot(JsonNode? Parent, string? Key, int Index, JsonNode? Node);

    private static List<Slot> Slots(JsonNode root)
    {
        var slots = new List<Slot>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        slots.Add(new Slot(o, key, -1, child));
                        Walk(child);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add(new Slot(a, null, i, a[i]));
                        Walk(a[i]);
                    }
                    break;
            }
        }
        Walk(root);
        return slots;
    }

    private static Slot? Prefer(Random random, List<Slot> slots, JsonValueKind kind)
    {
        var matching = slots.Where(s => s.Node is JsonValue v && v.GetValueKind() == kind).ToList();
        return matching.Count > 0 && random.Next(5) > 0 ? Pick(random, matching) : slots.Count > 0 ? Pick(random, slots) : null;
    }

    /// <summary>The body with the node at <paramref name="slot"/> (the whole body when null) replaced by raw bytes.</summary>
    private static byte[] Splice(JsonNode body, Slot? slot, byte[] raw)
    {
        if (slot?.Parent is null)
        {
            return raw;
        }
        if (slot.Parent is JsonObject o)
        {
            o[slot.Key!] = Placeholder;
        }
        else
        {
            ((JsonArray)slot.Parent)[slot.Index] = Placeholder;
        }
        var text = body.ToJsonString();
        var at = text.IndexOf("\"" + Placeholder + "\"", StringComparison.Ordinal);
        var before = Utf8(text[..at]);
        var after = Utf8(text[(at + Placeholder.Length + 2)..]);
        return [.. before, .. raw, .. after];
    }

    private static byte[] RemoveField(JsonNode body, List<Slot> slots, Random random)
    {
        var fields = slots.Where(s => s.Parent is JsonObject).ToList();
        if (fields.Count > 0)
        {
            var slot = fields[random.Next(fields.Count)];
            ((JsonObject)slot.Parent!).Remove(slot.Key!);
        }
        return Utf8(body.ToJsonString());
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static Slot? Pick(Random random, List<Slot> slots) => slots.Count == 0 ? null : slots[random.Next(slots.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

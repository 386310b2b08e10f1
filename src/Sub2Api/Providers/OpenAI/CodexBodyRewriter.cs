using System.Buffers;
using System.Text.Json;
using Sub2Api.Common;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// Makes a Responses body acceptable to the ChatGPT Codex backend, in one scan of the top level plus targeted
/// scans of the few values it edits. Every byte it does not change is copied verbatim (tool schemas, encrypted
/// reasoning, item ids), so a 1 MB conversation costs one copy, not a re-serialisation.
/// </summary>
/// <remarks>
/// The rules: <c>store: false</c> (the backend keeps nothing for subscriptions), <c>stream: true</c> (it only
/// streams; the relay collects the stream for JSON clients), the model normalised to the Codex set, sampling and
/// limit parameters it refuses removed (<see cref="Refused"/>), <c>reasoning.effort</c> taken from the model's
/// suffix when absent and "minimal" sent as "none", instructions filled in when missing, a string <c>input</c>
/// wrapped as one user message (the backend takes only an item list), <c>namespace</c> removed from input items
/// (Codex multi-agent tools send it; the backend answers "Unknown parameter input[].namespace"), and
/// "reasoning.encrypted_content" added to <c>include</c> when reasoning is used: with store off, that is the only
/// way a client can carry its reasoning into the next turn. Item ids and item_reference items are kept, so tool
/// continuations still match their calls. A compaction body (<see cref="CodexRewritePlan.Compact"/>) gets the same
/// rules except store, stream and include, which the compaction endpoint does not take.
/// </remarks>
internal static class CodexBodyRewriter
{
    /// <summary>
    /// Parameters the Codex backend rejects ("Unsupported parameter"): output limits (max_output_tokens and the
    /// Chat-style max_completion_tokens / max_tokens), sampling knobs that reasoning models refuse (temperature,
    /// top_p, frequency/presence penalties, logprobs), and API-account identity/retention fields that have no
    /// meaning on a subscription (user, safety_identifier, prompt_cache_retention).
    /// </summary>
    public static readonly IReadOnlySet<string> Refused = new HashSet<string>(StringComparer.Ordinal)
    {
        "max_output_tokens", "max_completion_tokens", "max_tokens",
        "temperature", "top_p", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs",
        "user", "safety_identifier", "prompt_cache_retention",
    };

    /// <summary>
    /// Sent when the client gave no instructions: the backend refuses a request without them. Deliberately short and
    /// neutral — written for this gateway; OpenAI's own Codex prompt is not ours to ship, and clients that want
    /// Codex behaviour (Codex CLI) send their own.
    /// </summary>
    public const string DefaultInstructions =
        "You are a helpful assistant for software development. Follow the user's instructions carefully, " +
        "use the tools you are given when they help, and answer clearly and concisely.";

    public const string EncryptedReasoning = "reasoning.encrypted_content";

    private static ReadOnlySpan<byte> EncryptedReasoningLiteral => "\"reasoning.encrypted_content\""u8;

    /// <summary>The rewritten body (always a new array).</summary>
    /// <exception cref="JsonException">The body is not a JSON object (callers pass bodies that parsed).</exception>
    public static byte[] Rewrite(ReadOnlySpan<byte> body, CodexRewritePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var properties = JsonBytes.Properties(body, out var root);
        var remove = new bool[properties.Count];
        var edits = new List<ByteEdit>();
        bool hasStore = false, hasStream = false, hasInstructions = false, hasModel = false;
        var reasoningUsed = plan.ReasoningEffort is not null;
        var reasoningIndex = -1;
        var includeIndex = -1;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var value = body[property.ValueStart..property.ValueEnd];
            switch (property.Name)
            {
                case "store" when !plan.Compact:
                    hasStore = true;
                    Replace(edits, property, value, "false"u8);
                    break;
                case "stream" when !plan.Compact:
                    hasStream = true;
                    Replace(edits, property, value, "true"u8);
                    break;
                case "model":
                    hasModel = true;
                    Replace(edits, property, value, JsonBytes.EncodeString(plan.Model));
                    break;
                case "instructions":
                    hasInstructions = true;
                    if (property.Kind != JsonTokenType.String || value.Length <= 2)
                    {
                        edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, JsonBytes.EncodeString(DefaultInstructions)));
                    }
                    break;
                case "reasoning":
                    reasoningIndex = i;
                    reasoningUsed |= property.Kind == JsonTokenType.StartObject;
                    break;
                case "include":
                    includeIndex = i;
                    break;
                case "input":
                    RewriteInput(body, property, edits);
                    break;
                default:
                    remove[i] = Refused.Contains(property.Name);
                    break;
            }
        }

        var appended = new List<(string Name, byte[] Value)>();
        if (reasoningIndex >= 0)
        {
            RewriteReasoning(body, properties[reasoningIndex], plan, edits);
        }
        else if (plan.ReasoningEffort is { } effort)
        {
            appended.Add(("reasoning", EffortObject(effort)));
        }
        if (reasoningUsed && !plan.Compact)
        {
            if (includeIndex >= 0)
            {
                AddEncryptedReasoning(body, properties[includeIndex], edits);
            }
            else
            {
                appended.Add(("include", [(byte)'[', .. EncryptedReasoningLiteral, (byte)']']));
            }
        }
        if (!hasModel)
        {
            appended.Add(("model", JsonBytes.EncodeString(plan.Model)));
        }
        if (!hasInstructions)
        {
            appended.Add(("instructions", JsonBytes.EncodeString(DefaultInstructions)));
        }
        if (!hasStore && !plan.Compact)
        {
            appended.Add(("store", "false"u8.ToArray()));
        }
        if (!hasStream && !plan.Compact)
        {
            appended.Add(("stream", "true"u8.ToArray()));
        }

        JsonBytes.RemoveProperties(properties, remove, edits);
        if (appended.Count > 0)
        {
            edits.Add(AppendAll(root, properties, remove, appended));
        }
        return JsonBytes.Splice(body, [.. edits.OrderBy(e => e.Start)]);
    }

    private static void Replace(List<ByteEdit> edits, PropertySpan property, ReadOnlySpan<byte> value, ReadOnlySpan<byte> wanted)
    {
        if (!value.SequenceEqual(wanted))
        {
            edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, wanted.ToArray()));
        }
    }

    /// <summary>One insertion carrying every new property, after the last kept one (or inside an empty object), so
    /// commas are right however many are appended and whichever properties were removed.</summary>
    private static ByteEdit AppendAll(ObjectSpan root, List<PropertySpan> properties, bool[] remove, List<(string Name, byte[] Value)> appended)
    {
        var lastKept = -1;
        for (var i = properties.Count - 1; i >= 0; i--)
        {
            if (!remove[i])
            {
                lastKept = i;
                break;
            }
        }
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < appended.Count; i++)
        {
            if (i > 0 || lastKept >= 0)
            {
                buffer.Write(","u8);
            }
            buffer.Write(JsonBytes.EncodeString(appended[i].Name));
            buffer.Write(":"u8);
            buffer.Write(appended[i].Value);
        }
        // After the last kept value; the removal edits of later properties end at or before the object's end.
        var at = lastKept >= 0 ? properties[lastKept].ValueEnd : root.Open + 1;
        if (lastKept >= 0 && lastKept < properties.Count - 1)
        {
            // Properties after the last kept one are all removed: their removal starts at this value's end, so the
            // insertion goes at the end of that removal instead (the object's last value end).
            at = properties[^1].ValueEnd;
        }
        return new ByteEdit(at, at, buffer.WrittenSpan.ToArray());
    }

    private static byte[] EffortObject(string effort) =>
        [.. "{\"effort\":"u8, .. JsonBytes.EncodeString(WireEffort(effort)), (byte)'}'];

    /// <summary>The backend has no "minimal" effort; "none" is its lowest.</summary>
    private static string WireEffort(string effort) => effort == "minimal" ? "none" : effort;

    /// <summary><c>reasoning.effort</c>: "minimal" → "none"; absent and the model had an effort suffix → that effort.
    /// A null reasoning with a suffix effort becomes <c>{"effort":…}</c>.</summary>
    private static void RewriteReasoning(ReadOnlySpan<byte> body, PropertySpan property, CodexRewritePlan plan, List<ByteEdit> edits)
    {
        if (property.Kind != JsonTokenType.StartObject)
        {
            if (property.Kind == JsonTokenType.Null && plan.ReasoningEffort is { } suffixEffort)
            {
                edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, EffortObject(suffixEffort)));
            }
            return;
        }
        var value = body[property.ValueStart..property.ValueEnd];
        var found = JsonBytes.TryFind(value, "effort"u8, out var effort, out var obj);
        if (found && effort.Kind == JsonTokenType.String)
        {
            if (value[effort.Start..effort.End].SequenceEqual("\"minimal\""u8))
            {
                edits.Add(new ByteEdit(property.ValueStart + effort.Start, property.ValueStart + effort.End, "\"none\""u8.ToArray()));
            }
            return;
        }
        if (plan.ReasoningEffort is not { } wanted)
        {
            return;
        }
        var encoded = JsonBytes.EncodeString(WireEffort(wanted));
        var edit = found
            ? new ByteEdit(effort.Start, effort.End, encoded) // effort: null
            : JsonBytes.Append(obj, "effort"u8, encoded);
        edits.Add(edit with { Start = edit.Start + property.ValueStart, End = edit.End + property.ValueStart });
    }

    /// <summary>Adds "reasoning.encrypted_content" to an include array that lacks it; a null include becomes
    /// an array holding it; any other type is left for the upstream to judge.</summary>
    private static void AddEncryptedReasoning(ReadOnlySpan<byte> body, PropertySpan property, List<ByteEdit> edits)
    {
        if (property.Kind == JsonTokenType.Null)
        {
            edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, [(byte)'[', .. EncryptedReasoningLiteral, (byte)']']));
            return;
        }
        if (property.Kind != JsonTokenType.StartArray)
        {
            return;
        }
        var value = body[property.ValueStart..property.ValueEnd];
        var reader = new Utf8JsonReader(value, JsonBytes.ReaderOptions);
        reader.Read();
        var empty = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            empty = false;
            if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(EncryptedReasoning))
            {
                return;
            }
            reader.Skip();
        }
        var close = property.ValueStart + (int)reader.TokenStartIndex;
        byte[] insert = empty ? EncryptedReasoningLiteral.ToArray() : [(byte)',', .. EncryptedReasoningLiteral];
        edits.Add(new ByteEdit(close, close, insert));
    }

    /// <summary>A string input becomes one user message (its string literal reused as sent); in an item list, each
    /// item's <c>namespace</c> property is removed. The item scan runs only when "namespace" occurs at all.</summary>
    private static void RewriteInput(ReadOnlySpan<byte> body, PropertySpan property, List<ByteEdit> edits)
    {
        var value = body[property.ValueStart..property.ValueEnd];
        if (property.Kind == JsonTokenType.String)
        {
            byte[] message =
            [
                .. "[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"u8,
                .. value,
                .. "}]}]"u8,
            ];
            edits.Add(new ByteEdit(property.ValueStart, property.ValueEnd, message));
            return;
        }
        if (property.Kind != JsonTokenType.StartArray || value.IndexOf("\"namespace\""u8) < 0)
        {
            return;
        }
        var reader = new Utf8JsonReader(value, JsonBytes.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var kind = reader.TokenType;
            reader.Skip();
            if (kind != JsonTokenType.StartObject)
            {
                continue;
            }
            var item = value[start..(int)reader.BytesConsumed];
            if (item.IndexOf("\"namespace\""u8) >= 0)
            {
                RemoveNamespace(item, property.ValueStart + start, edits);
            }
        }
    }

    /// <summary>Adds the edit removing an item's top-level <c>namespace</c> property (with one comma), reading only
    /// property names: no name is materialised. <paramref name="offset"/> places the item in the body.</summary>
    private static void RemoveNamespace(ReadOnlySpan<byte> item, int offset, List<ByteEdit> edits)
    {
        var reader = new Utf8JsonReader(item, JsonBytes.ReaderOptions);
        reader.Read();
        var previousValueEnd = -1;
        var pendingStart = -1; // a leading namespace: removed up to the next property's name
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var isNamespace = reader.ValueTextEquals("namespace"u8);
            reader.Read();
            reader.Skip();
            var valueEnd = (int)reader.BytesConsumed;
            if (pendingStart >= 0)
            {
                edits.Add(new ByteEdit(offset + pendingStart, offset + nameStart, []));
                pendingStart = -1;
            }
            if (isNamespace)
            {
                if (previousValueEnd >= 0)
                {
                    edits.Add(new ByteEdit(offset + previousValueEnd, offset + valueEnd, []));
                }
                else
                {
                    pendingStart = nameStart;
                }
            }
            previousValueEnd = valueEnd;
        }
        if (pendingStart >= 0)
        {
            // The only property: remove it, leaving {}.
            edits.Add(new ByteEdit(offset + pendingStart, offset + previousValueEnd, []));
        }
    }
}

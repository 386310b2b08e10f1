using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sub2Api.Benchmarks;

/// <summary>
/// A deterministic request body shaped like a mid-conversation Claude Code 2.x turn: billing header and cached
/// system prompt, 16 tools with JSON schemas, a history of user / assistant (signed thinking, text, tool_use) /
/// tool_result turns, metadata.user_id as Claude Code's JSON text, grown until it reaches the wanted size.
/// </summary>
public static class ClaudeCodeBody
{
    public const string SessionId = "5f0c6a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    private const string Words =
        "the gateway reads the request once relays the bytes and bills every token exactly while the scheduler " +
        "keeps sticky sessions on the same account unless it is rate limited overloaded or out of its window ";

    /// <param name="targetBytes">Grow the message history until the body is at least this large.</param>
    /// <param name="extraBreakpoints">cache_control markers on older messages beyond the usual 3 (2 system + newest).</param>
    /// <param name="thinkingBreakpoint">Put a cache_control on a thinking block (Anthropic rejects that; the editor strips it).</param>
    /// <param name="withUserId">Send metadata.user_id (Claude Code always does; other SDK clients often don't).</param>
    public static byte[] Build(int targetBytes = 85_000, int extraBreakpoints = 0, bool thinkingBreakpoint = false, bool withUserId = true)
    {
        var buffer = new MemoryStream();
        // Raw UTF-8 like JSON.stringify (Claude Code is a Node program), not \uXXXX escapes.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", "claude-sonnet-4-5-20250929");
            w.WriteNumber("max_tokens", 32000);
            w.WriteStartObject("thinking");
            w.WriteString("type", "enabled");
            w.WriteNumber("budget_tokens", 10000);
            w.WriteEndObject();
            w.WriteBoolean("stream", true);
            if (withUserId)
            {
                w.WriteStartObject("metadata");
                w.WriteString("user_id", $$"""{"device_id":"{{new string('a', 64)}}","account_uuid":"","session_id":"{{SessionId}}"}""");
                w.WriteEndObject();
            }

            w.WriteStartArray("system");
            TextBlock(w, "x-anthropic-billing-header: cc_version=2.1.197.abc; cc_entrypoint=cli;", cache: false);
            TextBlock(w, "You are Claude Code, Anthropic's official CLI for Claude.", cache: true);
            TextBlock(w, "You are an interactive CLI tool that helps users with software engineering tasks.\n" + Text(12_000, 1), cache: true);
            w.WriteEndArray();

            w.WriteStartArray("tools");
            for (var t = 0; t < 16; t++)
            {
                w.WriteStartObject();
                w.WriteString("name", $"Tool{t}");
                w.WriteString("description", Text(1_100, t + 10));
                w.WriteStartObject("input_schema");
                w.WriteString("type", "object");
                w.WriteStartObject("properties");
                foreach (var property in new[] { "command", "path", "pattern", "timeout" })
                {
                    w.WriteStartObject(property);
                    w.WriteString("type", property == "timeout" ? "number" : "string");
                    w.WriteString("description", Text(80, t + property.Length));
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteStartArray("required");
                w.WriteStringValue("command");
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("messages");
            // messages[0]: the reminder and the first prompt (what the content-hash session key reads).
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteStartArray("content");
            TextBlock(w, "<system-reminder>\nAs you answer the user's questions, you can use the following context.\n" + Text(3_000, 2) + "\n</system-reminder>", cache: false);
            TextBlock(w, "Refactor the usage writer so that it batches inserts.", cache: false);
            w.WriteEndArray();
            w.WriteEndObject();

            var turn = 0;
            var breakpointsLeft = extraBreakpoints;
            var thinkingLeft = thinkingBreakpoint;
            while (buffer.Length + w.BytesPending < targetBytes - 600 || breakpointsLeft > 0 || thinkingLeft)
            {
                turn++;
                // assistant: signed thinking, text, tool_use
                w.WriteStartObject();
                w.WriteString("role", "assistant");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", Text(600, turn + 100));
                w.WriteString("signature", Convert.ToBase64String(Encoding.ASCII.GetBytes(Text(300, turn + 200))));
                if (thinkingLeft)
                {
                    CacheControl(w);
                    thinkingLeft = false;
                }
                w.WriteEndObject();
                TextBlock(w, Text(300, turn + 300), cache: false);
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", $"toolu_{turn:D4}");
                w.WriteString("name", $"Tool{turn % 16}");
                w.WriteStartObject("input");
                w.WriteString("command", $"grep -rn 'Usage' src/Sub2Api/Billing --include=*.cs | head -{turn}");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();

                // user: tool_result
                w.WriteStartObject();
                w.WriteString("role", "user");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "tool_result");
                w.WriteString("tool_use_id", $"toolu_{turn:D4}");
                w.WriteString("content", Text(1_800, turn + 400));
                if (breakpointsLeft > 0)
                {
                    CacheControl(w);
                    breakpointsLeft--;
                }
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }

            // the newest user message carries the moving breakpoint
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteStartArray("content");
            TextBlock(w, "Now run the tests.", cache: true);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A small non-Claude-Code request (SDK style): one user message, no metadata.</summary>
    public static byte[] Small() => Encoding.UTF8.GetBytes(
        """{"model":"claude-sonnet-4-5","max_tokens":256,"stream":false,"system":"You are a concise assistant.","messages":[{"role":"user","content":"Say hello in one short sentence."}]}""");

    private static void TextBlock(Utf8JsonWriter w, string text, bool cache)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        if (cache)
        {
            CacheControl(w);
        }
        w.WriteEndObject();
    }

    private static void CacheControl(Utf8JsonWriter w)
    {
        w.WriteStartObject("cache_control");
        w.WriteString("type", "ephemeral");
        w.WriteEndObject();
    }

    /// <summary>Deterministic prose-and-code-like text of about <paramref name="length"/> chars.</summary>
    public static string Text(int length, int seed)
    {
        var sb = new StringBuilder(length + 64);
        var i = seed % Words.Length;
        var line = 0;
        while (sb.Length < length)
        {
            var take = Math.Min(Words.Length - i, 37 + (seed % 23));
            sb.Append(Words, i, take);
            i = (i + take) % Words.Length;
            if (++line % 3 == 0)
            {
                sb.Append("\n    var x").Append(line).Append(" = \"quoted\\tvalue ü\";\n");
            }
        }
        return sb.ToString(0, length);
    }
}

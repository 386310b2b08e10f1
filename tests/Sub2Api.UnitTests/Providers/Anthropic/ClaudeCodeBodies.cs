using System.Text;
using System.Text.Json;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.UnitTests.Providers.Anthropic;

/// <summary>Request bodies shaped like what Claude Code 2.1.197 sends (STACK.md), trimmed to the parts that matter.</summary>
internal static class ClaudeCodeBodies
{
    public const string SessionId = "5f0c6a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    public const string DeviceId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public const string Reminder = "<system-reminder>\nAs you answer the user's questions, you can use the following context.\n</system-reminder>";
    public const string Banner = "You are Claude Code, Anthropic's official CLI for Claude.";
    public const string MainPrompt = "\nYou are an interactive CLI tool that helps users with software engineering tasks.";
    public const string BillingHeader = "x-anthropic-billing-header: cc_version=2.1.197.abc; cc_entrypoint=sdk-cli;";
    public const string Signature = "EqQBCkYIBxgCKkDk+/Zx9Qh1c2ln\\u003d==";

    public static string UserIdJson => $$"""{\"device_id\":\"{{DeviceId}}\",\"account_uuid\":\"\",\"session_id\":\"{{SessionId}}\"}""";

    /// <summary>A first turn: 3 system blocks (2 cached), messages[1] with role "system", user_id as JSON text.</summary>
    public static string FirstTurn(string prompt = "hi") => Fill("""
        {"model":"claude-opus-4-8","messages":[{"role":"user","content":[{"type":"text","text":@REMINDER},{"type":"text","text":@PROMPT,"cache_control":{"type":"ephemeral"}}]},{"role":"system","content":[{"type":"text","text":"Available agent types: general-purpose, Explore"}]}],"system":@SYSTEM,"tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"},"model":{"type":"string"}}}}],"metadata":{"user_id":"@USERID"},"max_tokens":64000,"thinking":{"type":"adaptive"},"context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},"output_config":{"effort":"high"},"stream":true}
        """, prompt, "");

    /// <summary>The thinking block as the upstream returned it; its bytes must reach the upstream unchanged.</summary>
    public static string ThinkingBlock => """{"type":"thinking","thinking":"The user said hi.\nGreet back.","signature":"@SIG"}""".Replace("@SIG", Signature, StringComparison.Ordinal);

    /// <summary>A second turn: the previous assistant reply (with a signed thinking block) and a new prompt; the
    /// moving cache breakpoint is now on the newest message, as clients place it.</summary>
    public static string SecondTurn(string prompt = "hi", string next = "now list files") => Fill("""
        {"model":"claude-opus-4-8","messages":[{"role":"user","content":[{"type":"text","text":@REMINDER},{"type":"text","text":@PROMPT}]},{"role":"assistant","content":[@THINKING,{"type":"text","text":"Hello!"}]},{"role":"user","content":[{"type":"text","text":@NEXT,"cache_control":{"type":"ephemeral"}}]}],"system":@SYSTEM,"metadata":{"user_id":"@USERID"},"max_tokens":64000,"thinking":{"type":"adaptive"},"stream":true}
        """, prompt, next);

    private static string SystemBlocks => """
        [{"type":"text","text":@BILLING},{"type":"text","text":@BANNER,"cache_control":{"type":"ephemeral"}},{"type":"text","text":@MAIN,"cache_control":{"type":"ephemeral"}}]
        """.Replace("@BILLING", Json(BillingHeader), StringComparison.Ordinal)
        .Replace("@BANNER", Json(Banner), StringComparison.Ordinal)
        .Replace("@MAIN", Json(MainPrompt), StringComparison.Ordinal);

    private static string Fill(string template, string prompt, string next) => template
        .Replace("@REMINDER", Json(Reminder), StringComparison.Ordinal)
        .Replace("@PROMPT", Json(prompt), StringComparison.Ordinal)
        .Replace("@NEXT", Json(next), StringComparison.Ordinal)
        .Replace("@THINKING", ThinkingBlock, StringComparison.Ordinal)
        .Replace("@SYSTEM", SystemBlocks, StringComparison.Ordinal)
        .Replace("@USERID", UserIdJson, StringComparison.Ordinal);

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static AnthropicRequestInfo Parse(string json)
    {
        Assert.True(AnthropicRequestParser.TryParse(Utf8(json), out var info, out var error), error);
        return info!;
    }

    /// <summary>Throws when the bytes are not one valid JSON document (catches comma mistakes).</summary>
    public static JsonElement Valid(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    private static string Json(string value) => JsonSerializer.Serialize(value);
}

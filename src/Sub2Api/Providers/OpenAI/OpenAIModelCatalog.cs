using System.Buffers;
using System.Text.Json;

namespace Sub2Api.Providers.OpenAI;

/// <summary>The models an OpenAI group lists by default, and the two shapes <c>GET /v1/models</c> answers in.</summary>
internal static class OpenAIModelCatalog
{
    /// <summary>
    /// Listed when a group configures no model list. Every id has a price in the shipped LiteLLM table, so
    /// whatever a client picks from the list can be billed. The Codex set comes first (it is what ChatGPT accounts
    /// serve); the API-only models after it are served by API-key accounts.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultModels =
    [
        "gpt-5.1-codex-max",
        "gpt-5.1-codex",
        "gpt-5.1-codex-mini",
        "gpt-5.1",
        "gpt-5.2",
        "gpt-5.2-codex",
        "gpt-5.3-codex",
        "gpt-5-codex",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "o3",
        "o4-mini",
    ];

    // A fixed creation time: the gateway does not know when OpenAI created a model, and a changing value would
    // make clients that cache the list see a new list on every call.
    private const long Created = 1_704_067_200; // 2024-01-01T00:00:00Z

    /// <summary>OpenAI's list shape: <c>{"object":"list","data":[{"id","object":"model","created","owned_by"}]}</c>.</summary>
    public static byte[] OpenAIList(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            foreach (var id in ids)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, id);
                writer.WriteString("object"u8, "model"u8);
                writer.WriteNumber("created"u8, Created);
                writer.WriteString("owned_by"u8, "openai"u8);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The base prompt of every discovery entry. Written for this gateway: OpenAI's Codex prompts are not ours to
    /// ship. Codex CLI sends an entry's base prompt as its first developer message, so an empty one would leave the
    /// model with no description of its role at all.
    /// </summary>
    public const string CodexBaseInstructions =
        "You are a coding agent working in the user's terminal and workspace through the tools you are given.\n" +
        "- Understand the request and the relevant code before changing anything; read files rather than guessing.\n" +
        "- Make focused changes that fit the existing style, and keep the user's unrelated work intact.\n" +
        "- Run the project's checks or tests when they exist and report what you verified and what you could not.\n" +
        "- Ask before destructive or irreversible actions, and never expose secrets.\n" +
        "- Keep messages short: say what you did, what changed and what is left.";

    /// <summary>
    /// Codex CLI's model discovery answer (<c>GET /v1/models?client_version=…</c>): <c>{"models":[ModelInfo…]}</c>
    /// with every field its ModelInfo requires (slug, display_name, supported_reasoning_levels, shell_type,
    /// visibility, supported_in_api, priority, base_instructions, supports_reasoning_summaries, support_verbosity,
    /// truncation_policy, supports_parallel_tool_calls, experimental_supported_tools) and nulls for its optional ones.
    /// Codex CLI 0.169 parses it and adds the entries to its picker.
    /// </summary>
    /// <remarks>
    /// Codex merges these entries into its bundled catalog by slug, and an entry's metadata replaces the fallback
    /// Codex would otherwise use for that slug — including the base prompt, which becomes
    /// <see cref="CodexBaseInstructions"/> instead of Codex's own. A gateway that can reach the ChatGPT backend's
    /// own manifest (with an OAuth account) gives Codex better metadata by relaying that; an empty list
    /// (<c>CodexDiscovery([])</c>) keeps Codex's fallback for every slug but lists nothing.
    /// </remarks>
    public static byte[] CodexDiscovery(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("models"u8);
            var priority = 0;
            foreach (var id in ids)
            {
                WriteCodexModel(writer, id, priority++);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCodexModel(Utf8JsonWriter writer, string id, int priority)
    {
        writer.WriteStartObject();
        writer.WriteString("slug"u8, id);
        writer.WriteString("display_name"u8, id);
        writer.WriteNull("description"u8);
        writer.WriteString("default_reasoning_level"u8, "medium"u8);
        writer.WriteStartArray("supported_reasoning_levels"u8);
        WriteEffort(writer, "low"u8, "Fast responses with lighter reasoning"u8);
        WriteEffort(writer, "medium"u8, "Balances speed and reasoning depth"u8);
        WriteEffort(writer, "high"u8, "Greater reasoning depth for complex problems"u8);
        writer.WriteEndArray();
        writer.WriteString("shell_type"u8, "shell_command"u8);
        writer.WriteString("visibility"u8, "list"u8);
        writer.WriteBoolean("supported_in_api"u8, true);
        writer.WriteNumber("priority"u8, priority);
        writer.WriteNull("upgrade"u8);
        writer.WriteString("base_instructions"u8, CodexBaseInstructions);
        writer.WriteBoolean("supports_reasoning_summaries"u8, true);
        writer.WriteBoolean("support_verbosity"u8, false);
        writer.WriteNull("default_verbosity"u8);
        writer.WriteNull("apply_patch_tool_type"u8);
        writer.WriteStartObject("truncation_policy"u8);
        writer.WriteString("mode"u8, "tokens"u8);
        writer.WriteNumber("limit"u8, 10_000);
        writer.WriteEndObject();
        writer.WriteBoolean("supports_parallel_tool_calls"u8, true);
        writer.WriteStartArray("experimental_supported_tools"u8);
        writer.WriteEndArray();
        writer.WriteStartArray("input_modalities"u8);
        writer.WriteStringValue("text"u8);
        writer.WriteStringValue("image"u8);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEffort(Utf8JsonWriter writer, ReadOnlySpan<byte> effort, ReadOnlySpan<byte> description)
    {
        writer.WriteStartObject();
        writer.WriteString("effort"u8, effort);
        writer.WriteString("description"u8, description);
        writer.WriteEndObject();
    }
}

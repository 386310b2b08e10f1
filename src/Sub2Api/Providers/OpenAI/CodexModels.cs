using System.Text.RegularExpressions;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// The model ids the ChatGPT Codex backend accepts. Clients ask for API model names (gpt-5, gpt-5-codex, dated
/// snapshots) or picker names with an effort suffix (gpt-5.1-codex-high); the backend knows only its own set and
/// takes the effort from <c>reasoning.effort</c>.
/// </summary>
internal static partial class CodexModels
{
    /// <summary>What an unknown, non-GPT-5 model becomes.</summary>
    public const string Default = "gpt-5.1";

    private static readonly string[] EffortSuffixes = ["xhigh", "high", "medium", "low", "minimal", "none"];

    // Older API names the backend no longer serves, mapped to their current Codex equivalents. The small API
    // models have no ChatGPT counterpart; the small Codex model is the nearest in cost and speed.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["gpt-5"] = "gpt-5.1",
        ["gpt-5-codex"] = "gpt-5.1-codex",
        ["gpt-5-codex-mini"] = "gpt-5.1-codex-mini",
        ["codex-mini-latest"] = "gpt-5.1-codex-mini",
        ["codex-mini"] = "gpt-5.1-codex-mini",
        ["gpt-5-mini"] = "gpt-5.1-codex-mini",
        ["gpt-5-nano"] = "gpt-5.1-codex-mini",
    };

    [GeneratedRegex(@"-\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateSuffix();

    /// <summary>The Codex model for <paramref name="model"/> (see <see cref="Split"/>).</summary>
    public static string Normalize(string model) => Split(model).Model;

    /// <summary>
    /// Lower-cases, drops a "provider/" prefix, strips an effort suffix (-xhigh, -high, -medium, -low, -minimal,
    /// -none; returned as <c>Effort</c>) and a -YYYY-MM-DD snapshot date, then maps old names (gpt-5 → gpt-5.1,
    /// gpt-5-codex → gpt-5.1-codex, …). Anything else starting with gpt-5 or codex is kept (newer models work
    /// without a gateway release); everything else becomes <see cref="Default"/>.
    /// </summary>
    public static (string Model, string? Effort) Split(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var id = model.Trim().ToLowerInvariant();
        if (id.LastIndexOf('/') is var slash and >= 0)
        {
            id = id[(slash + 1)..];
        }
        string? effort = null;
        foreach (var suffix in EffortSuffixes)
        {
            if (id.Length > suffix.Length + 1 && id.EndsWith(suffix, StringComparison.Ordinal) && id[^(suffix.Length + 1)] == '-')
            {
                effort = suffix;
                id = id[..^(suffix.Length + 1)];
                break;
            }
        }
        id = DateSuffix().Replace(id, "");
        if (Aliases.TryGetValue(id, out var alias))
        {
            return (alias, effort);
        }
        return (id.StartsWith("gpt-5", StringComparison.Ordinal) || id.StartsWith("codex", StringComparison.Ordinal) ? id : Default, effort);
    }
}

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Pure rules of the OAuth identity (SPEC §6.1 "OAuth model-id overrides", §6.2 step 5 "mimic"): dated model
/// ids and the mimic-mode beta header.
/// </summary>
internal static class ClaudeMimic
{
    private static readonly Dictionary<string, string> DatedModels = new(StringComparer.Ordinal)
    {
        ["claude-sonnet-4-5"] = "claude-sonnet-4-5-20250929",
        ["claude-opus-4-5"] = "claude-opus-4-5-20251101",
        ["claude-haiku-4-5"] = "claude-haiku-4-5-20251001",
    };

    /// <summary>The dated id an OAuth account must send for a short model id; any other id unchanged.</summary>
    public static string NormalizeModelId(string model) => DatedModels.GetValueOrDefault(model, model);

    /// <summary>
    /// mergeAnthropicBetaDropping([oauth, interleaved-thinking], incoming, {claude-code}): the required flags first,
    /// then the client's, each trimmed, empties skipped, duplicates and the claude-code flag removed.
    /// </summary>
    public static string MimicBetaHeader(string? incoming) =>
        MergeBetaDropping([AnthropicBeta.OAuth, AnthropicBeta.InterleavedThinking], incoming, AnthropicBeta.ClaudeCode);

    public static string MergeBetaDropping(IEnumerable<string> required, string? incoming, string drop)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var token in required.Concat((incoming ?? "").Split(',')))
        {
            var trimmed = token.Trim();
            if (trimmed.Length > 0 && trimmed != drop && seen.Add(trimmed))
            {
                result.Add(trimmed);
            }
        }
        return string.Join(',', result);
    }

    public static bool IsHaiku(string model) => model.Contains("haiku", StringComparison.OrdinalIgnoreCase);
}

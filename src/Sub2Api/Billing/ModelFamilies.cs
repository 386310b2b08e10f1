using System.Text.RegularExpressions;

namespace Sub2Api.Billing;

/// <summary>
/// Family/tier indexes over a price table: Claude by family (opus/sonnet/haiku) and Gemini by tier
/// (pro/flash/flash-lite), each by version, so unknown models fall to the nearest known version.
/// </summary>
internal static partial class ModelFamilies
{
    private static readonly string[] ClaudeFamilies = ["opus", "sonnet", "haiku"];

    // Canonical table keys only ("claude-opus-4-6", "claude-3-5-haiku-20241022", "claude-3-7-sonnet-latest");
    // variants like "claude-opus-4-6-thinking" or provider-prefixed keys do not define a family version.
    [GeneratedRegex(@"^claude-(?:(?<f>opus|sonnet|haiku)-(?<v>\d{1,2}(?:-\d{1,2})?)|(?<v>\d{1,2}(?:-\d{1,2})?)-(?<f>opus|sonnet|haiku))(?:-(?<s>\d{8}|latest))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ClaudeKey();

    [GeneratedRegex(@"^gemini-(?<v>\d{1,2}(?:\.\d{1,2})?)-(?<t>pro|flash|flash-lite)(?:-(?<s>preview|latest|\d{3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex GeminiKey();

    [GeneratedRegex(@"^gemini-(?<v>\d{1,2}(?:\.\d{1,2})?)-", RegexOptions.CultureInvariant)]
    private static partial Regex GeminiVersion();

    public static Dictionary<string, VersionedPrices> BuildClaude(IEnumerable<KeyValuePair<string, ModelPrice>> prices)
    {
        var index = ClaudeFamilies.ToDictionary(f => f, _ => new VersionedPrices(), StringComparer.Ordinal);
        foreach (var (family, version, price) in FallbackPrices.Claude)
        {
            index[family].Add(version, int.MaxValue, price);
        }
        // The prefix test first: the regex on all ~2000 keys costs tens of ms while still unjitted at start.
        foreach (var (key, price) in prices.Where(p => p.Key.StartsWith("claude-", StringComparison.Ordinal)))
        {
            var m = ClaudeKey().Match(key);
            if (m.Success && ModelVersion.TryParse(m.Groups["v"].Value) is { } version)
            {
                // Undated key first; then the dated one (e.g. claude-3-5-haiku-20241022, the real API id); "-latest" last.
                var suffix = m.Groups["s"].Value;
                var rank = suffix.Length == 0 ? 0 : suffix == "latest" ? 2 : 1;
                index[m.Groups["f"].Value].Add(version, rank, price);
            }
        }
        return index;
    }

    public static Dictionary<string, VersionedPrices> BuildGemini(IEnumerable<KeyValuePair<string, ModelPrice>> prices)
    {
        var index = new Dictionary<string, VersionedPrices>(StringComparer.Ordinal);
        foreach (var (key, price) in prices.Where(p => p.Key.StartsWith("gemini-", StringComparison.Ordinal)))
        {
            var m = GeminiKey().Match(key);
            if (m.Success && ModelVersion.TryParse(m.Groups["v"].Value) is { } version)
            {
                var rank = m.Groups["s"].Value switch { "" => 0, "latest" => 2, "preview" => 3, _ => 1 };
                var tier = m.Groups["t"].Value;
                if (!index.TryGetValue(tier, out var tierPrices))
                {
                    index[tier] = tierPrices = new VersionedPrices();
                }
                tierPrices.Add(version, rank, price);
            }
        }
        return index;
    }

    /// <summary>Family word and version of a Claude name in either order: claude-opus-4-8, claude-3-5-sonnet, claude-sonnet-5.</summary>
    public static bool TryParseClaude(string name, out string family, out ModelVersion? version)
    {
        family = ClaudeFamilies.FirstOrDefault(name.Contains) ?? "";
        version = null;
        if (family.Length == 0)
        {
            return false;
        }
        var tokens = name.Split('-').SelectMany(t => t.Contains('.', StringComparison.Ordinal) && t.Split('.').All(ModelVersion.IsSmallNumber)
            ? t.Split('.') : [t]).ToArray();
        var at = Array.IndexOf(tokens, family);
        if (at < 0)
        {
            return true; // "opus4"-style: family known, version unknown -> newest.
        }
        var numbers = tokens.Skip(at + 1).TakeWhile(ModelVersion.IsSmallNumber).Take(2).ToList();
        if (numbers.Count == 0)
        {
            numbers = tokens.Take(at).Reverse().TakeWhile(ModelVersion.IsSmallNumber).Take(2).Reverse().ToList();
        }
        version = numbers.Count == 0 ? null : ModelVersion.TryParse(string.Join('-', numbers));
        return true;
    }

    /// <summary>Gemini tier word (flash-lite, flash, pro) and the version right after "gemini-", when present.</summary>
    public static string? TryParseGemini(string name, out ModelVersion? version)
    {
        var m = GeminiVersion().Match(name);
        version = m.Success ? ModelVersion.TryParse(m.Groups["v"].Value) : null;
        return name.Contains("flash-lite", StringComparison.Ordinal) ? "flash-lite"
            : name.Contains("flash", StringComparison.Ordinal) ? "flash"
            : name.Contains("pro", StringComparison.Ordinal) ? "pro"
            : null;
    }
}

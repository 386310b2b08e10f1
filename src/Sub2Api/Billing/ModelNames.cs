using System.Text.RegularExpressions;

namespace Sub2Api.Billing;

/// <summary>Name rewrites used by <see cref="PricingTable"/> lookups (all inputs already lower-case).</summary>
internal static partial class ModelNames
{
    [GeneratedRegex(@"-(?:\d{4}-\d{2}-\d{2}|\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAIDateSuffix();

    // gpt-X or gpt-X.Y only; gpt-4o and similar letter-suffixed names have no numeric base.
    [GeneratedRegex(@"^(gpt-\d+(?:\.\d+)?)(?:-|$)", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAIBase();

    [GeneratedRegex(@"^v\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex BedrockRevision();

    /// <summary>
    /// Names to try for an exact match, best first: the Gemini/Vertex resource name reduced to the model id,
    /// the name as given, its last path segment ("anthropic/claude-…"), and the <see cref="Core"/> name.
    /// </summary>
    public static List<string> Candidates(string lower)
    {
        var normalized = StripResourcePrefixes(lower);
        List<string> result = [];
        foreach (var candidate in (string[])[normalized, lower, LastSegment(normalized), Core(lower)])
        {
            if (candidate.Length > 0 && !result.Contains(candidate))
            {
                result.Add(candidate);
            }
        }
        return result.Count == 0 ? [lower] : result;
    }

    /// <summary>
    /// The bare model id: no resource path, no provider prefix ("vertex_ai/", "us.anthropic."), Vertex's
    /// "@date" written as "-date". The family and OpenAI rules work on this name.
    /// </summary>
    public static string Core(string lower)
    {
        var name = LastSegment(StripResourcePrefixes(lower));
        var anthropic = name.IndexOf("anthropic.", StringComparison.Ordinal);
        if (anthropic >= 0)
        {
            name = name[(anthropic + "anthropic.".Length)..];
        }
        return name.Replace('@', '-');
    }

    /// <summary>SPEC §5.1 step 2: "claude-opus-4-5-20251101" and "claude-opus-4.5-20251101" name the same model.</summary>
    public static IEnumerable<string> VersionVariants(string name)
    {
        if (name.Contains("-4-5-", StringComparison.Ordinal))
        {
            yield return name.Replace("-4-5-", "-4.5-", StringComparison.Ordinal);
        }
        if (name.Contains("-4.5-", StringComparison.Ordinal))
        {
            yield return name.Replace("-4.5-", "-4-5-", StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// SPEC §5.1 step 3: drop 8-digit date parts and everything from ':' on (a Bedrock revision such as
    /// "-v1:0" goes entirely): "claude-sonnet-4-5-20250929-v1:0" -> "claude-sonnet-4-5".
    /// </summary>
    public static string BaseName(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var parts = (colon >= 0 ? name[..colon] : name).Split('-').ToList();
        if (colon >= 0 && parts.Count > 1 && BedrockRevision().IsMatch(parts[^1]))
        {
            parts.RemoveAt(parts.Count - 1);
        }
        parts.RemoveAll(p => p.Length == 8 && p.All(char.IsAsciiDigit));
        return string.Join('-', parts);
    }

    /// <summary>SPEC §5.1 step 5 variants: without the date suffix, then the numeric base "gpt-X.Y".</summary>
    public static IEnumerable<string> OpenAIVariants(string name)
    {
        var withoutDate = OpenAIDateSuffix().Replace(name, "");
        if (withoutDate != name)
        {
            yield return withoutDate;
        }
        if (OpenAIBase().Match(withoutDate) is { Success: true } m && m.Groups[1].Value != name)
        {
            yield return m.Groups[1].Value;
        }
    }

    private static string StripResourcePrefixes(string name)
    {
        // Gemini/Vertex forms: models/x, publishers/google/models/x, projects/…/publishers/google/models/x.
        name = name.TrimStart('/');
        var models = name.LastIndexOf("models/", StringComparison.Ordinal);
        if (models == 0 || (models > 0 && name[models - 1] == '/'))
        {
            name = name[(models + "models/".Length)..];
        }
        return name.TrimStart('/');
    }

    private static string LastSegment(string name) => name[(name.LastIndexOf('/') + 1)..];
}

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// The version in a real Claude Code user agent: <c>claude-cli/X.Y.Z</c>, optionally followed by
/// " (…)". Strict on purpose (#5254): "claude-cli/999.0.0-local" once won every "newer" comparison and
/// poisoned account fingerprints for good, so suffixes, missing parts and majors ≥ 100 are refused.
/// </summary>
internal readonly record struct ClaudeCliVersion(int Major, int Minor, int Patch) : IComparable<ClaudeCliVersion>
{
    private const string Prefix = "claude-cli/";

    public static bool TryParse(string? userAgent, out ClaudeCliVersion version)
    {
        version = default;
        if (userAgent is null || !userAgent.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = userAgent.AsSpan(Prefix.Length);
        var space = rest.IndexOf(' ');
        var number = space < 0 ? rest : rest[..space];
        if (space >= 0 && !(rest[(space + 1)..] is ['(', .., ')']))
        {
            return false;
        }
        Span<Range> parts = stackalloc Range[4];
        if (number.Split(parts, '.') != 3
            || !TryPart(number[parts[0]], 2, out var major)
            || !TryPart(number[parts[1]], 4, out var minor)
            || !TryPart(number[parts[2]], 5, out var patch))
        {
            return false;
        }
        version = new ClaudeCliVersion(major, minor, patch);
        return true;
    }

    public int CompareTo(ClaudeCliVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator >(ClaudeCliVersion left, ClaudeCliVersion right) => left.CompareTo(right) > 0;

    public static bool operator <(ClaudeCliVersion left, ClaudeCliVersion right) => left.CompareTo(right) < 0;

    public static bool operator >=(ClaudeCliVersion left, ClaudeCliVersion right) => left.CompareTo(right) >= 0;

    public static bool operator <=(ClaudeCliVersion left, ClaudeCliVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Plain ASCII digits only (no sign, no "-local"), at most <paramref name="maxDigits"/> of them.</summary>
    private static bool TryPart(ReadOnlySpan<char> digits, int maxDigits, out int value)
    {
        value = 0;
        if (digits.Length is 0 || digits.Length > maxDigits || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}

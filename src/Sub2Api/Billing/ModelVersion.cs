namespace Sub2Api.Billing;

/// <summary>A model version such as 4.6 (<c>claude-opus-4-6</c>) or 2.5 (<c>gemini-2.5-pro</c>).</summary>
internal readonly record struct ModelVersion(int Major, int Minor) : IComparable<ModelVersion>
{
    public int CompareTo(ModelVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ModelVersion left, ModelVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(ModelVersion left, ModelVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(ModelVersion left, ModelVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ModelVersion left, ModelVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Parses "4", "4-6", "4.6", "2.5" (one or two numbers of at most two digits each).</summary>
    public static ModelVersion? TryParse(string text)
    {
        var parts = text.Split('-', '.');
        if (parts.Length is 0 or > 2 || !parts.All(IsSmallNumber))
        {
            return null;
        }
        return new ModelVersion(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>1-2 digits: a version number, not an 8-digit date nor a 3-digit revision like "001".</summary>
    public static bool IsSmallNumber(string part) => part.Length is 1 or 2 && part.All(char.IsAsciiDigit);
}

/// <summary>
/// Prices of one family (a Claude family or a Gemini tier) by version, for "nearest known version" lookups.
/// Built once per table; immutable afterwards.
/// </summary>
internal sealed class VersionedPrices
{
    // Rank: lower wins when two entries claim the same version (undated table key beats dated beats hard-coded).
    private readonly SortedDictionary<ModelVersion, (int Rank, ModelPrice Price)> _byVersion = [];

    public bool IsEmpty => _byVersion.Count == 0;

    public void Add(ModelVersion version, int rank, ModelPrice price)
    {
        if (!_byVersion.TryGetValue(version, out var existing) || rank < existing.Rank)
        {
            _byVersion[version] = (rank, price);
        }
    }

    /// <summary>
    /// The newest version not newer than <paramref name="requested"/>: an unknown newer model (opus 4.8) gets
    /// the newest known price, one between two known versions the older neighbour's. Older than everything
    /// known: the oldest. No version at all: the newest.
    /// </summary>
    public ModelPrice? Pick(ModelVersion? requested)
    {
        ModelPrice? best = null;
        foreach (var (version, entry) in _byVersion)
        {
            if (requested is { } r && version > r)
            {
                return best ?? entry.Price;
            }
            best = entry.Price;
        }
        return best;
    }
}

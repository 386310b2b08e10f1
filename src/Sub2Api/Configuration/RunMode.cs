namespace Sub2Api.Configuration;

/// <summary>
/// RUN_MODE: <c>standard</c> bills every request; <c>simple</c> (personal use) records usage without charging
/// and skips balance/subscription checks.
/// </summary>
internal sealed record RunMode(string Value)
{
    public const string Standard = "standard";
    public const string Simple = "simple";

    public bool IsSimple => Value == Simple;

    public static RunMode From(IConfiguration configuration)
    {
        var raw = (configuration["RUN_MODE"] ?? Standard).Trim().ToLowerInvariant();
        return raw switch
        {
            Standard or "" => new RunMode(Standard),
            Simple => new RunMode(Simple),
            _ => throw new InvalidOperationException($"RUN_MODE must be 'standard' or 'simple', not '{raw}'."),
        };
    }
}

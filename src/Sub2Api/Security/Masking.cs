namespace Sub2Api.Security;

/// <summary>Masks secrets for display, e.g. <c>sk-ok…a1</c>. A masked value never contains enough to use.</summary>
internal static class Masking
{
    public const char Ellipsis = '…';

    public static string Mask(string value, int keepStart = 5, int keepEnd = 2)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }
        // Short secrets show nothing but their length class: revealing most of an 8-char secret is revealing it.
        if (value.Length < (keepStart + keepEnd) * 2)
        {
            return new string('*', Math.Min(value.Length, 8));
        }
        return string.Concat(value.AsSpan(0, keepStart), Ellipsis.ToString(), value.AsSpan(value.Length - keepEnd));
    }

    /// <summary>True when a client sent back the masked form of <paramref name="original"/>, meaning "unchanged".</summary>
    public static bool IsMaskOf(string candidate, string original) => candidate == Mask(original);
}

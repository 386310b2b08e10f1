namespace Sub2Api.Providers.OpenAI;

/// <summary>One ChatGPT usage window as the x-codex headers report it.</summary>
/// <param name="UsedPercent">0–100 (above 100 when the backend overshoots).</param>
/// <param name="ResetAt">When the window resets (UTC), from the reset-after seconds; null when not sent.</param>
/// <param name="WindowMinutes">The window's length (300 for 5 hours, 10080 for 7 days); null when not sent.</param>
internal readonly record struct CodexUsageWindow(double UsedPercent, DateTime? ResetAt, int? WindowMinutes)
{
    /// <summary>Full: the next request in this window will be refused. The epsilon treats 99.9999999 as full.</summary>
    public bool IsExhausted => UsedPercent >= 100.0 - 1e-9;
}

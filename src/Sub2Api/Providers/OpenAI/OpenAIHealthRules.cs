using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// ChatGPT accounts' usage windows, read from the <c>x-codex-*</c> headers of every answer: a 429 rests the account until
/// the exhausted window resets; a success reporting a full window rests it before the upstream has to refuse; the
/// 5-hour window is kept as the account's session window (shown in the accounts list).
/// </summary>
internal sealed class OpenAIHealthRules : IAccountHealthRules
{
    /// <summary>A window that moved by less than this is the same window (its reset is reported in whole seconds).</summary>
    private static readonly TimeSpan SameWindow = TimeSpan.FromMinutes(1);

    public string Platform => Platforms.OpenAI;

    public (DateTime ResetAt, SessionWindow? Window) RateLimitedUntil(Func<string, string?> header, ReadOnlySpan<byte> errorBody,
        DateTime utcNow)
    {
        var snapshot = CodexUsageHeaders.Parse(header, utcNow);
        return (CodexRateLimit.ResetFrom429(snapshot, errorBody, utcNow), snapshot?.ToSessionWindow());
    }

    public SuccessVerdict OnSuccess(Func<string, string?> header, DateTime utcNow, SessionWindow? current)
    {
        if (CodexUsageHeaders.Parse(header, utcNow) is not { } snapshot)
        {
            return default;
        }
        var window = snapshot.ToSessionWindow();
        if (window is { } w && current is { } c && c.Status == w.Status && (w.End - c.End).Duration() < SameWindow)
        {
            window = null; // unchanged: nothing to persist
        }
        var rest = CodexRateLimit.CooldownFromSuccess(snapshot, utcNow);
        return new SuccessVerdict(window, LimitOver: rest is null, rest, snapshot.ToExtra());
    }
}

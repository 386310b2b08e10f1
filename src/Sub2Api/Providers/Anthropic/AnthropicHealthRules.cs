using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.Anthropic;

/// <summary>Anthropic's rate-limit signals (the unified 5-hour/7-day headers) as account health verdicts.</summary>
internal sealed class AnthropicHealthRules : IAccountHealthRules
{
    public string Platform => Platforms.Anthropic;

    public (DateTime ResetAt, SessionWindow? Window) RateLimitedUntil(Func<string, string?> header, ReadOnlySpan<byte> errorBody,
        DateTime utcNow) => AnthropicRateLimit.ResetFrom429(header, utcNow);

    public SuccessVerdict OnSuccess(Func<string, string?> header, DateTime utcNow, SessionWindow? current) =>
        new(AnthropicRateLimit.UpdateWindow(header, utcNow, current), AnthropicRateLimit.SignalsRecovery(header));
}

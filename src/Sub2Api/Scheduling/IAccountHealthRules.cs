namespace Sub2Api.Scheduling;

/// <summary>
/// A provider's reading of its upstream's rate-limit signals, which <see cref="AccountHealth"/> applies: when a
/// rate-limited account may serve again, the usage window its headers reveal, and whether a success says a limit is
/// over (or that the next request would be refused). One implementation per platform, in that provider's folder.
/// </summary>
internal interface IAccountHealthRules
{
    string Platform { get; }

    /// <summary>A 429: until when the account rests, and the usage window the answer reveals (if any).</summary>
    (DateTime ResetAt, SessionWindow? Window) RateLimitedUntil(Func<string, string?> header, ReadOnlySpan<byte> errorBody, DateTime utcNow);

    /// <summary>A success: the account's current usage window, and what its headers say of its rate limit.</summary>
    SuccessVerdict OnSuccess(Func<string, string?> header, DateTime utcNow, SessionWindow? current);
}

/// <param name="Window">The usage window now (null: unknown or unchanged).</param>
/// <param name="LimitOver">A rate limit still recorded on the account is over.</param>
/// <param name="RestUntil">The upstream served this request but said the next will be refused until then.</param>
/// <param name="UsageSnapshot">What the upstream said of the account's usage, kept in its <c>extra</c> for the accounts
/// page (saved at most once a minute per account).</param>
internal readonly record struct SuccessVerdict(SessionWindow? Window, bool LimitOver, DateTime? RestUntil = null,
    IReadOnlyDictionary<string, object>? UsageSnapshot = null);

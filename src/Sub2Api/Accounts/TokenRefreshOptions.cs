namespace Sub2Api.Accounts;

/// <summary>Section "TokenRefresh": keeping OAuth and setup-token accounts' access tokens alive.</summary>
internal sealed class TokenRefreshOptions
{
    public const string Section = "TokenRefresh";

    /// <summary>How often the background job looks for tokens about to expire (it also runs once at start).</summary>
    public double CheckIntervalSeconds { get; set; } = 300;

    /// <summary>The job refreshes a token when less than this remains.</summary>
    public double RefreshBeforeExpiryMinutes { get; set; } = 30;

    /// <summary>A request refreshes its account's token inline (before sending) when less than this remains.</summary>
    public double InlineRefreshBeforeExpirySeconds { get; set; } = 180;

    /// <summary>Tries per refresh when the token endpoint fails transiently.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Backoff before try n+1 is this × 2^(n−1).</summary>
    public double RetryBackoffMilliseconds { get; set; } = 2000;

    /// <summary>How long an account rests after every try failed transiently.</summary>
    public double TempUnschedulableMinutes { get; set; } = 10;

    /// <summary>How long a caller waits for another caller's refresh of the same account before giving up.</summary>
    public double LockWaitSeconds { get; set; } = 30;

    /// <summary>Timeout of one call to the token endpoint.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;
}

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>How a failed call to the OAuth endpoints should be treated by its caller.</summary>
internal enum ClaudeOAuthErrorKind
{
    /// <summary>
    /// The grant or the client is dead (<c>invalid_grant</c>, <c>invalid_client</c>, <c>unauthorized_client</c>,
    /// <c>access_denied</c>, <c>token_expired</c>): retrying cannot help; the account needs a new login.
    /// </summary>
    Final,

    /// <summary>Network failure, timeout, 5xx or 429: the same call may well succeed later.</summary>
    Transient,

    /// <summary>Any other refusal (4xx without a final error code, an unreadable answer): not known to be fatal.</summary>
    Rejected,
}

/// <summary>
/// A failed OAuth call. <see cref="Exception.Message"/> carries only the endpoint, the status and the upstream's
/// error code and description, never a token, code, verifier or cookie, so it is safe to log and to show the admin.
/// </summary>
internal sealed class ClaudeOAuthException : Exception
{
    /// <summary>The OAuth error codes that mean the grant can never work again.</summary>
    public static readonly IReadOnlyList<string> FinalErrorCodes =
        ["invalid_grant", "invalid_client", "unauthorized_client", "access_denied", "token_expired"];

    public ClaudeOAuthException(ClaudeOAuthErrorKind kind, string operation, int status, string? errorCode, string message,
        Exception? inner = null)
        : base($"{operation} failed: {message}", inner)
    {
        Kind = kind;
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
    }

    public ClaudeOAuthErrorKind Kind { get; }

    public bool IsFinal => Kind == ClaudeOAuthErrorKind.Final;

    public bool IsTransient => Kind == ClaudeOAuthErrorKind.Transient;

    /// <summary>What was attempted: "token exchange", "token refresh", "organizations", "cookie authorize".</summary>
    public string Operation { get; }

    /// <summary>The upstream HTTP status; 0 when no answer arrived (network error, timeout).</summary>
    public int Status { get; }

    /// <summary>The OAuth <c>error</c> of the answer (e.g. <c>invalid_grant</c>), when it had one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Classifies an HTTP refusal: a final error code anywhere in it wins over the status.</summary>
    public static ClaudeOAuthErrorKind Classify(int status, string? errorCode, string? description)
    {
        if (FinalErrorCodes.Any(code => code == errorCode || (description?.Contains(code, StringComparison.OrdinalIgnoreCase) ?? false)))
        {
            return ClaudeOAuthErrorKind.Final;
        }
        return status is 429 or 408 or >= 500 ? ClaudeOAuthErrorKind.Transient : ClaudeOAuthErrorKind.Rejected;
    }
}

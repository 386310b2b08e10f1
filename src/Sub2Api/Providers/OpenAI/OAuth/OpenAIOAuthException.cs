using Sub2Api.Accounts;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>How a failed call to the token endpoint should be treated by its caller.</summary>
internal enum OpenAIOAuthErrorKind
{
    /// <summary>
    /// The grant or the client is dead (<c>invalid_grant</c>, <c>invalid_client</c>, <c>unauthorized_client</c>,
    /// <c>access_denied</c>, <c>token_expired</c>, …): retrying cannot help; the account needs a new login.
    /// </summary>
    Final,

    /// <summary>Network failure, timeout, 5xx or 429: the same call may well succeed later.</summary>
    Transient,

    /// <summary>Any other refusal (4xx without a final error code, an unreadable answer): not known to be fatal.</summary>
    Rejected,
}

/// <summary>
/// A failed call to the ChatGPT token endpoint. <see cref="Exception.Message"/> carries only the operation, the
/// status and the upstream's error code and (scrubbed) description, never a token, code or verifier, so it is safe to
/// log and to show the admin.
/// </summary>
internal sealed class OpenAIOAuthException : Exception
{
    /// <summary>
    /// OpenAI's own words for a dead refresh token, besides the OAuth codes: a refresh token that was already used
    /// (rotation) or whose login was revoked.
    /// </summary>
    private static readonly string[] OpenAIFinalCodes = ["refresh_token_reused", "refresh_token_expired", "refresh_token_invalidated"];

    public OpenAIOAuthException(OpenAIOAuthErrorKind kind, string operation, int status, string? errorCode, string message,
        Exception? inner = null)
        : base($"{operation} failed: {message}", inner)
    {
        Kind = kind;
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
    }

    public OpenAIOAuthErrorKind Kind { get; }

    public bool IsFinal => Kind == OpenAIOAuthErrorKind.Final;

    public bool IsTransient => Kind == OpenAIOAuthErrorKind.Transient;

    /// <summary>What was attempted: "token exchange" or "token refresh".</summary>
    public string Operation { get; }

    /// <summary>The upstream HTTP status; 0 when no answer arrived (network error, timeout).</summary>
    public int Status { get; }

    /// <summary>The OAuth <c>error</c> of the answer (e.g. <c>invalid_grant</c>), when it had one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Classifies an HTTP refusal: a final error code anywhere in it wins over the status.</summary>
    public static OpenAIOAuthErrorKind Classify(int status, string? errorCode, string? description)
    {
        var text = errorCode + " " + description;
        if (TokenRefreshErrors.IsFinal(text) || OpenAIFinalCodes.Any(code => text.Contains(code, StringComparison.OrdinalIgnoreCase)))
        {
            return OpenAIOAuthErrorKind.Final;
        }
        return status is 429 or 408 or >= 500 ? OpenAIOAuthErrorKind.Transient : OpenAIOAuthErrorKind.Rejected;
    }
}

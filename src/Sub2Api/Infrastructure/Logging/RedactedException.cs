namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// Stands in for a logged exception whose text holds a credential (a proxy URL with its password, a URL with a
/// key in its query…): sinks print <see cref="ToString"/>, which is the original's, redacted, type and stack
/// trace included.
/// </summary>
#pragma warning disable CA1032 // Never thrown, only logged: the standard constructors have no use.
internal sealed class RedactedException : Exception
#pragma warning restore CA1032
{
    private readonly string _text;
    private readonly string? _stackTrace;

    private RedactedException(Exception original, string text)
        : base(SecretRedactor.Redact(original.Message))
    {
        _text = text;
        _stackTrace = original.StackTrace;
        HResult = original.HResult;
    }

    public override string? StackTrace => _stackTrace;

    /// <summary><paramref name="exception"/> itself when its text holds no credential.</summary>
    public static Exception? From(Exception? exception)
    {
        if (exception is null)
        {
            return null;
        }
        var text = exception.ToString();
        var redacted = SecretRedactor.Redact(text);
        return ReferenceEquals(text, redacted) ? exception : new RedactedException(exception, redacted);
    }

    public override string ToString() => _text;
}

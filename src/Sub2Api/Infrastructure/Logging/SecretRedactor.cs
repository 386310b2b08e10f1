using System.Buffers;
using System.Text.RegularExpressions;

namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// Rewrites text so no credential survives: values of secret-looking query/form parameters, JSON fields and
/// credential headers, URL user-info, and anything shaped like a key or token wherever it appears (gateway keys
/// <c>sk-…</c>, Anthropic keys <c>sk-ant-…</c>, admin keys <c>admin-…</c>, refresh tokens <c>rt_…</c>, JWTs,
/// <c>Bearer …</c>). The name before a redacted value is kept, so a log line still says what was there.
/// Text without a credential comes back as the same instance (callers compare references to skip copies).
/// </summary>
internal static partial class SecretRedactor
{
    public const string Marker = "[redacted]";

    // A parameter or field is secret when its name ends with one of these words (api_key, sessionKey,
    // access_token, client_secret, X-Amz-Signature…) or is one of the exact names. Plurals (max_tokens,
    // input_tokens) and longer words (keyword, author) are not secrets and stay readable.
    private static readonly string[] SecretNameEndings =
        ["key", "token", "secret", "password", "passwd", "pwd", "signature", "credential", "credentials", "auth", "session"];

    private static readonly string[] SecretNames = ["code", "sig", "pass", "authorization", "cookie", "set-cookie"];

    // Every credential the pattern below can match contains one of these (names, header names, token prefixes) or
    // an '@' (URL user-info). Most lines contain none: a vectorized search then answers, and the pattern never runs.
    // (All at least 3 characters: a shorter needle would turn the search into a slower, per-character one.)
    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        ["key", "token", "secret", "pass", "pwd", "sig", "credential", "auth", "session", "code", "cookie",
         "sk-", "admin-", "rt_", "eyJ", "bearer"],
        StringComparison.OrdinalIgnoreCase);

    // Each alternative starts with a literal or a small set of characters, and names are matched atomically and
    // judged in code, so the scan stays linear: this runs for every line that is written.
    private const string Pattern =
        // "access_token": "…" (JSON, also inside a logged body): the field name stays, the string value goes.
        "(?<keep>\"(?<name>(?>[\\w.\\-]+))\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(?=\")"
        // Authorization: Bearer … / x-api-key=… / Cookie: … — a credential header's whole value, to the end of the line.
        + @"|(?<keep>(?<![\w\-])(?:proxy-authorization|authorization|x-api-key|x-goog-api-key|anthropic-api-key|api-key|x-auth-token|set-cookie|cookie)""?\s*[:=]\s*)(?:""(?:[^""\\]|\\.)*""|[^\r\n]*)"
        // ?key=… &token=… ; session=… — query strings, form bodies, cookie pairs, key=value log text.
        + @"|(?<keep>(?:^|(?<=[?&;\s,(\[{]))(?<name>(?>[\w.\-]+))=)[^&#\s""'<>]*"
        // scheme://user:password@host — proxy URLs carry their password here.
        + @"|(?<keep>://)[^/\s:@?#]+:[^/\s@?#]*(?=@)"
        // Bearer <credential>: anything with a digit or token punctuation, or long enough to be a key, so that prose
        // such as "Bearer was not authenticated" stays readable.
        + @"|(?<keep>\bBearer\s+)(?:(?=[^\s""',;]*[0-9_.\-~+/])[^\s""',;]+|[^\s""',;]{16,})"
        // Token shapes, wherever they appear.
        + @"|\bsk-ant-[\w\-]+"
        + @"|\bsk-[\w\-]{16,}"
        + @"|\badmin-[0-9a-f]{32,}"
        + @"|\brt_[\w\-]{16,}"
        + @"|\beyJ[\w\-]+\.[\w\-]+\.[\w\-]*";

    /// <summary><paramref name="text"/> with every credential replaced by <see cref="Marker"/>.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || (!text.AsSpan().ContainsAny(Triggers) && !text.Contains('@', StringComparison.Ordinal)))
        {
            return text;
        }
        var redacted = SecretPattern().Replace(text, Evaluate);
        // A match on a harmless name (page=1) is put back as it was: hand back the caller's instance.
        return ReferenceEquals(redacted, text) || string.Equals(redacted, text, StringComparison.Ordinal) ? text : redacted;
    }

    /// <summary>Whether a parameter or field name (<c>api_key</c>, <c>X-Amz-Signature</c>) names a credential.</summary>
    public static bool IsSecretName(ReadOnlySpan<char> name)
    {
        if (name.Equals("PublicKeyToken", StringComparison.OrdinalIgnoreCase))
        {
            return false;   // an assembly's public key token: public by definition
        }
        foreach (var exact in SecretNames)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        foreach (var ending in SecretNameEndings)
        {
            if (name.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static string Evaluate(Match match)
    {
        var keep = match.Groups["keep"];
        if (match.Groups["name"] is { Success: true } name && !IsSecretName(name.ValueSpan))
        {
            // A harmless name: its value is still text that may hold a token ("url": "…?key=…").
            var value = match.Value[keep.Length..];
            var redactedValue = Redact(value);
            return ReferenceEquals(value, redactedValue) ? match.Value : keep.Value + redactedValue;
        }
        return keep.Success ? keep.Value + Marker : Marker;
    }

    [GeneratedRegex(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex SecretPattern();
}

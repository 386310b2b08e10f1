using System.Text.RegularExpressions;

namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// Rewrites text so no credential survives: values of secret-looking query/form parameters, JSON fields and
/// credential headers, URL user-info, and anything shaped like a key or token wherever it appears (gateway keys
/// <c>sk-…</c>, Anthropic keys <c>sk-ant-…</c>, admin keys <c>admin-…</c>, refresh tokens <c>rt_…</c>, JWTs,
/// <c>Bearer …</c>). The name before a redacted value is kept, so a log line still says what was there.
/// Text without a match comes back as the same instance (callers compare references to skip copies).
/// </summary>
internal static partial class SecretRedactor
{
    public const string Marker = "[redacted]";

    // Parameter and field names that carry credentials: the name ends with one of these words (api_key,
    // sessionKey, access_token, client_secret, x-signature…). Plurals (max_tokens, input_tokens) and longer
    // words (keyword, author) are not secrets and stay readable.
    private const string SecretName =
        @"[\w.\-]*(?:key|token|secret|password|passwd|pwd|signature|credentials?|auth|session)(?![a-z0-9])";

    private const string Pattern =
        // "access_token": "…" (JSON, also inside a logged body); the field name stays, the string value goes.
        "(?<keep>\"(?:" + SecretName + "|code|authorization|cookie|set-cookie)\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(?=\")"
        // Authorization: Bearer … / x-api-key=… / Cookie: … — a credential header's whole value, to the end of the line.
        + @"|(?<keep>(?<![\w\-])(?:proxy-authorization|authorization|x-api-key|x-goog-api-key|anthropic-api-key|api-key|x-auth-token|set-cookie|cookie)""?\s*[:=]\s*)(?:""(?:[^""\\]|\\.)*""|[^\r\n]*)"
        // ?key=… &token=… ; session=… — query strings, form bodies, cookie pairs, key=value log text.
        // (An assembly's PublicKeyToken=… is public and stays.)
        + @"|(?<keep>(?<=^|[?&;\s,(\[{])(?!PublicKeyToken=)(?:" + SecretName + @"|code|sig|pass)=)[^&#\s""'<>]*"
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
    public static string Redact(string text) =>
        string.IsNullOrEmpty(text) ? text : SecretPattern().Replace(text, static match => match.Groups["keep"] is { Success: true } keep
            ? keep.Value + Marker
            : Marker);

    [GeneratedRegex(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex SecretPattern();
}

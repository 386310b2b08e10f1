using System.Text;

namespace Sub2Api.FuzzTests.Generation;

/// <summary>
/// One generated request. <see cref="Route"/> and <see cref="Kind"/> group failures in the report; the rest is
/// enough to replay it by hand (<see cref="Describe"/>).
/// </summary>
internal sealed record FuzzCase(
    int Number,
    string Route,
    RouteFamily Family,
    string Kind,
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType)
{
    /// <summary>The route it was generated for (null for a path no route matches).</summary>
    public FuzzRoute? Source { get; init; }

    /// <summary>The OpenAI API's routes (Responses, Chat Completions): their errors are in OpenAI's shape.</summary>
    public bool OpenAIRoute => Family == RouteFamily.Gateway
        && (Route.Contains("/responses", StringComparison.Ordinal) || Route.Contains("/chat/completions", StringComparison.Ordinal));

    /// <summary>Other gateway routes outside <c>/v1</c> (Claude Code's telemetry sink) may answer in either error shape.</summary>
    public bool EitherErrorShape => Family == RouteFamily.Gateway && !PathAndQuery.StartsWith("/v1", StringComparison.Ordinal);

    /// <summary>The request, readable and bounded: method, URL, headers (tokens shortened), body excerpt.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(Excerpt(PathAndQuery, 300));
        foreach (var (name, value) in Headers)
        {
            text.Append(" | ").Append(name).Append(": ").Append(Excerpt(value, 40));
        }
        if (ContentType is not null)
        {
            text.Append(" | Content-Type: ").Append(ContentType);
        }
        if (Body is not null)
        {
            text.Append(" | body (").Append(Body.Length).Append(" bytes): ").Append(BytesExcerpt(Body, 240));
        }
        return text.ToString();
    }

    public static string Excerpt(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"…(+{text.Length - max} chars)");

    /// <summary>Bytes as text; bytes that are not printable ASCII are shown as \xNN so invalid UTF-8 stays visible.</summary>
    public static string BytesExcerpt(byte[] bytes, int max)
    {
        var text = new StringBuilder();
        foreach (var b in bytes.AsSpan(0, Math.Min(bytes.Length, max)))
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        }
        if (bytes.Length > max)
        {
            text.Append($"…(+{bytes.Length - max} bytes)");
        }
        return text.ToString();
    }
}

using System.Text;
using Sub2Api.Infrastructure.Logging;

namespace Sub2Api.Ops;

/// <summary>
/// Whether failed requests keep their body in the ops log (an admin's choice, off by default: bodies are prompts), and
/// how: at most <see cref="MaxBodyBytes"/>, as text, with anything that looks like a credential replaced by
/// <see cref="SecretRedactor.Marker"/>.
/// </summary>
internal sealed class OpsBodyCapture
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxUpstreamDetailBytes = 4 * 1024;

    private volatile bool _enabled;

    /// <summary>Read on the hot path; set by the settings that own it (see OpsSettings).</summary>
    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    public static (string Text, int Bytes, bool Truncated) Capture(ReadOnlySpan<byte> body) =>
        (RedactedText(body, MaxBodyBytes), body.Length, body.Length > MaxBodyBytes);

    /// <summary>The first <paramref name="maxBytes"/> of a body as text (cut on a whole character), secrets redacted.</summary>
    public static string RedactedText(ReadOnlySpan<byte> body, int maxBytes)
    {
        var cut = body.Length <= maxBytes ? body : body[..maxBytes];
        // Back off from a cut in the middle of a UTF-8 sequence.
        var end = cut.Length;
        while (end > 0 && end < body.Length && (body[end] & 0xC0) == 0x80)
        {
            end--;
        }
        return SecretRedactor.Redact(Encoding.UTF8.GetString(cut[..end]));
    }
}

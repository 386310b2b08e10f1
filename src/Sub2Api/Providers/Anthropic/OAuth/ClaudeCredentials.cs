using System.Globalization;
using System.Text.Json.Nodes;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// Reading the token expiry of an OAuth / setup-token account's credentials. The admin's app sends
/// <c>expires_at</c> as unix seconds, as a number or as a string; imports from other tools carry milliseconds or an
/// ISO-8601 date.
/// </summary>
internal static class ClaudeCredentials
{
    public const string ExpiresAtField = "expires_at";

    // Beyond year 5138 in seconds: such a value can only be milliseconds.
    private const long MillisecondsThreshold = 100_000_000_000;

    /// <summary>When the access token expires; null when the credentials do not say (or say it unreadably).</summary>
    public static DateTimeOffset? ExpiresAt(JsonObject credentials) =>
        TryRead(credentials[ExpiresAtField], out var at) ? at : null;

    /// <summary>
    /// Whether <c>expires_at</c> is absent, empty, or a readable time. It is kept in the form it was sent (the
    /// original's app sends a number, its refresh writes a string); <see cref="ExpiresAt"/> reads every form.
    /// </summary>
    public static bool IsValidExpiresAt(JsonObject credentials)
    {
        var node = credentials[ExpiresAtField];
        return node is null
            || (node is JsonValue empty && empty.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text))
            || TryRead(node, out _);
    }

    private static bool TryRead(JsonNode? node, out DateTimeOffset at)
    {
        at = default;
        if (node is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<long>(out var number) || (value.TryGetValue<double>(out var real) && TryTruncate(real, out number)))
        {
            return FromUnix(number, out at);
        }
        if (!value.TryGetValue<string>(out var text))
        {
            return false;
        }
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return FromUnix(number, out at);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    private static bool TryTruncate(double real, out long number)
    {
        number = 0;
        if (double.IsNaN(real) || real < 0 || real > long.MaxValue / 2d)
        {
            return false;
        }
        number = (long)real;
        return true;
    }

    private static bool FromUnix(long number, out DateTimeOffset at)
    {
        at = default;
        if (number <= 0)
        {
            return false;
        }
        var seconds = number >= MillisecondsThreshold ? number / 1000 : number;
        if (seconds > 253_402_300_799)
        {
            return false;
        }
        at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}

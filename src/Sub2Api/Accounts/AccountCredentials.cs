using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.Accounts;

/// <summary>
/// The secrets an account sends upstream, as one immutable record: swapped whole, so a reader never sees a new
/// access token with an old expiry (or the reverse). <see cref="Version"/> is <c>credentials._token_version</c>
/// (unix ms of the write that produced it, 0 when never stamped); a newer copy always has a larger one.
/// </summary>
internal sealed record AccountCredentials(string? AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, long Version)
{
    public const string AccessTokenField = "access_token";
    public const string RefreshTokenField = "refresh_token";
    public const string ExpiresAtField = "expires_at";
    public const string ExpiresInField = "expires_in";
    public const string VersionField = "_token_version";

    public static readonly AccountCredentials None = new(null, null, null, 0);

    /// <summary>True when the access token ends within <paramref name="window"/> of <paramref name="now"/> (or already has).</summary>
    public bool ExpiresWithin(TimeSpan window, DateTimeOffset now) => ExpiresAt is { } expires && expires - now <= window;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    public static AccountCredentials From(JsonObject credentials) => new(
        Text(credentials[AccessTokenField]),
        Text(credentials[RefreshTokenField]),
        ParseTime(credentials[ExpiresAtField]),
        ParseLong(credentials[VersionField]) ?? 0);

    /// <summary>
    /// <c>expires_at</c> as the original writes it (unix seconds as a string) or as clients send it (a number, unix
    /// milliseconds, or an ISO 8601 date).
    /// </summary>
    public static DateTimeOffset? ParseTime(JsonNode? node)
    {
        if (ParseLong(node) is { } number)
        {
            // Anything past year 5138 in seconds is a millisecond stamp.
            return number > 99_999_999_999 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
        }
        return Text(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
    }

    private static long? ParseLong(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return value.TryGetValue<long>(out var whole) ? whole
                : value.TryGetValue<double>(out var fraction) && fraction is > long.MinValue and < long.MaxValue ? (long)fraction : null;
        }
        return value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    /// <summary>Never prints a secret (records print every property by default).</summary>
    public override string ToString() =>
        $"AccountCredentials {{ HasAccessToken = {AccessToken is not null}, HasRefreshToken = {RefreshToken is not null}, ExpiresAt = {ExpiresAt:O}, Version = {Version} }}";
}

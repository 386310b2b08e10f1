using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;

namespace Sub2Api.Auth;

/// <summary>Claims of an access token, as the original names them.</summary>
internal sealed record AccessTokenClaims(
    [property: JsonPropertyName("user_id")] long UserId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("token_version")] long TokenVersion,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt);

/// <summary>
/// HS256 access tokens. Small and dependency-free: we only ever verify tokens we signed, with one algorithm.
/// </summary>
internal sealed class JwtTokens(SecretStore secrets, IOptions<JwtOptions> options, TimeProvider time)
{
    private static readonly byte[] Header = Base64UrlBytes("""{"alg":"HS256","typ":"JWT"}"""u8);

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.AccessTokenExpireMinutes);

    public string Issue(long userId, string email, string role, long tokenVersion)
    {
        var now = time.GetUtcNow();
        var claims = new AccessTokenClaims(userId, email, role, tokenVersion,
            now.ToUnixTimeSeconds(), now.Add(Lifetime).ToUnixTimeSeconds());
        var payload = Base64UrlBytes(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signingInput = new byte[Header.Length + 1 + payload.Length];
        Header.CopyTo(signingInput, 0);
        signingInput[Header.Length] = (byte)'.';
        payload.CopyTo(signingInput, Header.Length + 1);
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(secrets.JwtSecret, signingInput));
        return $"{System.Text.Encoding.ASCII.GetString(signingInput)}.{signature}";
    }

    /// <summary>The claims when the token is ours, well-formed and unexpired; otherwise null with a reason.</summary>
    public AccessTokenClaims? Validate(string token, out string? failure)
    {
        failure = "invalid token";
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        var signingInput = System.Text.Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        var expected = HMACSHA256.HashData(secrets.JwtSecret, signingInput);
        byte[] actual;
        AccessTokenClaims? claims;
        try
        {
            actual = Base64Url.DecodeFromChars(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                return null;
            }
            // Only HS256 is accepted: the header must be exactly ours.
            if (!Base64Url.DecodeFromChars(parts[0]).AsSpan().SequenceEqual(Base64Url.DecodeFromUtf8(Header)))
            {
                return null;
            }
            claims = JsonSerializer.Deserialize<AccessTokenClaims>(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
        if (claims is null)
        {
            return null;
        }
        if (claims.ExpiresAt <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            failure = "token expired";
            return null;
        }
        failure = null;
        return claims;
    }

    private static byte[] Base64UrlBytes(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[Base64Url.GetEncodedLength(data.Length)];
        Base64Url.EncodeToUtf8(data, buffer);
        return buffer;
    }
}

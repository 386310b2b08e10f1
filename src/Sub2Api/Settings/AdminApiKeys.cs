using System.Security.Cryptography;
using System.Text;
using Sub2Api.Security;

namespace Sub2Api.Settings;

/// <summary>
/// The admin API key: <c>admin-</c> + 64 hex characters, shown once when generated. Only its SHA-256 and a masked
/// form are stored, so neither the database nor any response can give it back.
/// </summary>
internal static class AdminApiKeys
{
    public const string Prefix = "admin-";
    public const string HeaderName = "x-api-key";

    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Mask(string key) => Masking.Mask(key, keepStart: 10, keepEnd: 4);

    /// <summary>Compares the presented key's hash with the stored one in constant time.</summary>
    public static bool Matches(string presented, string storedHash)
    {
        if (storedHash.Length == 0 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
    }
}

using System.Security.Cryptography;
using System.Text;
using Sub2Api.Configuration;

namespace Sub2Api.Security;

/// <summary>
/// Gateway API keys: <c>sk-</c> + 64 hex when generated; custom keys are 16+ characters of
/// <c>[A-Za-z0-9_-]</c>. Stored as HMAC-SHA256 under a key derived from the encryption key, so the
/// database alone yields nothing usable.
/// </summary>
internal sealed class ApiKeys
{
    public const string Prefix = "sk-";
    public const int MinCustomLength = 16;
    public const int MaxLength = 128;

    private readonly byte[] _hashKey;

    public ApiKeys(SecretStore secrets)
    {
        _hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secrets.EncryptionKey, 32,
            info: Encoding.ASCII.GetBytes("sub2api api-key hash v1"));
    }

    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Null when valid, else why not.</summary>
    public static string? ValidateCustom(string key)
    {
        if (key.Length < MinCustomLength)
        {
            return $"custom_key must be at least {MinCustomLength} characters";
        }
        if (key.Length > MaxLength)
        {
            return $"custom_key must be at most {MaxLength} characters";
        }
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return "custom_key may contain only letters, digits, '_' and '-'";
            }
        }
        return null;
    }

    public string Hash(string key)
    {
        Span<byte> mac = stackalloc byte[32];
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, bytes);
        HMACSHA256.HashData(_hashKey, bytes, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>What lists show instead of the key: <c>sk-1a2b…9f0e</c>.</summary>
    public static string Hint(string key) => Masking.Mask(key, keepStart: Math.Min(7, key.Length / 3), keepEnd: 4);
}

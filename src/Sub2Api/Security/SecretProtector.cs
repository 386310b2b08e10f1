using System.Security.Cryptography;
using System.Text;
using Sub2Api.Configuration;

namespace Sub2Api.Security;

/// <summary>
/// Encrypts upstream credentials and proxy passwords at rest with AES-256-GCM under the persisted key.
/// Format: <c>v1:</c> + base64(nonce ‖ ciphertext ‖ tag).
/// </summary>
internal sealed class SecretProtector(SecretStore secrets)
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(secrets.EncryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedText)
    {
        if (!protectedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown secret format.");
        }
        var data = Convert.FromBase64String(protectedText[Prefix.Length..]);
        var cipherLength = data.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(secrets.EncryptionKey, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, cipherLength), data.AsSpan(NonceSize + cipherLength), plain);
        return Encoding.UTF8.GetString(plain);
    }
}

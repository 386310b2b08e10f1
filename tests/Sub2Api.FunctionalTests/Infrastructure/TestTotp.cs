using System.Security.Cryptography;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// The tests' own RFC 6238 code generator (HMAC-SHA1, 30-second steps), written apart from the app's so a shared
/// mistake cannot make both agree. Checked against the RFC's test vectors in <c>TestTotpTests</c>.
/// </summary>
public static class TestTotp
{
    public static string Code(string base32Secret, DateTimeOffset at, int digits = 6) =>
        Hotp(FromBase32(base32Secret), at.ToUnixTimeSeconds() / 30, digits);

    public static string Hotp(byte[] key, long counter, int digits)
    {
        var message = BitConverter.GetBytes(counter);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(message);
        }
#pragma warning disable CA5350 // the algorithm under test
        var hash = HMACSHA1.HashData(key, message);
#pragma warning restore CA5350
        var offset = hash[19] & 0xF;
        var value = (hash[offset] & 0x7F) << 24 | hash[offset + 1] << 16 | hash[offset + 2] << 8 | hash[offset + 3];
        return (value % (int)Math.Pow(10, digits)).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    public static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.TrimEnd('=').ToUpperInvariant()
            .Select(c => Convert.ToString(alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        return Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
    }
}

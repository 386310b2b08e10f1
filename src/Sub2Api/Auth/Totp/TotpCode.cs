using System.Security.Cryptography;

namespace Sub2Api.Auth.Totp;

/// <summary>
/// Time-based one-time passwords as authenticator apps make them (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, six
/// digits, 30-second steps. A code is accepted one step early or late to absorb clock drift between phone and server.
/// </summary>
internal static class TotpCode
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    public const int SecretBytes = 20;   // 160 bits, the HMAC-SHA1 block the RFC recommends

    public static string NewSecret() => Base32.Encode(RandomNumberGenerator.GetBytes(SecretBytes));

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code of one time step (HOTP with the step as the counter).</summary>
    public static string Compute(ReadOnlySpan<byte> key, long step, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 6238 as every authenticator app implements it is HMAC-SHA1; HMAC does not rely on SHA-1's collision resistance.
        HMACSHA1.HashData(key, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var modulo = 1;
        for (var i = 0; i < digits; i++)
        {
            modulo *= 10;
        }
        return (binary % modulo).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// The step whose code matches, looking at the current step and one either side; null when none does or the code
    /// is not six digits. Compared in constant time so a response's timing says nothing about how close a guess was.
    /// </summary>
    public static long? Match(string base32Secret, string? code, DateTimeOffset now)
    {
        if (code is not { Length: Digits } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        var key = Base32.Decode(base32Secret);
        if (key is null || key.Length == 0)
        {
            return null;
        }
        var current = StepAt(now);
        long? matched = null;
        for (var step = current - 1; step <= current + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Compute(key, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                matched ??= step;
            }
        }
        return matched;
    }

    /// <summary>The otpauth URL authenticator apps import (as a QR code or pasted).</summary>
    public static string OtpAuthUrl(string issuer, string account, string base32Secret)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        return $"otpauth://totp/{label}?secret={base32Secret}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }
}

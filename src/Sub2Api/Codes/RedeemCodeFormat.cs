using System.Security.Cryptography;

namespace Sub2Api.Codes;

/// <summary>How new codes look: hard to guess, easy to read aloud and to paste.</summary>
internal static class RedeemCodeFormat
{
    /// <summary>16 random bytes as upper-case hex in four blocks of eight: <c>XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX</c>.</summary>
    public static string NewRedeemCode()
    {
        var hex = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return $"{hex[..8]}-{hex[8..16]}-{hex[16..24]}-{hex[24..]}";
    }

    /// <summary>A promo code the admin did not name: 8 random bytes as 16 upper-case hex characters.</summary>
    public static string NewPromoCode() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>The longest code a client may send; anything longer cannot exist in the table.</summary>
    public const int MaxLength = 64;
}

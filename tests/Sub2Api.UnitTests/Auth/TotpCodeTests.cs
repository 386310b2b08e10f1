using System.Text;
using Sub2Api.Auth.Totp;

namespace Sub2Api.UnitTests.Auth;

public sealed class TotpCodeTests
{
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    // RFC 6238 appendix B, the SHA-1 rows (8 digits).
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Compute_MatchesTheRfc6238TestVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, TotpCode.Compute(RfcKey, unixSeconds / TotpCode.StepSeconds, digits: 8));

    [Fact]
    public void Match_AcceptsTheStepEitherSide_AndNothingFurther()
    {
        var secret = Base32.Encode(RfcKey);
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = TotpCode.StepAt(now);
        string CodeAt(long s) => TotpCode.Compute(RfcKey, s);

        Assert.Equal(step, TotpCode.Match(secret, CodeAt(step), now));
        Assert.Equal(step - 1, TotpCode.Match(secret, CodeAt(step - 1), now));
        Assert.Equal(step + 1, TotpCode.Match(secret, CodeAt(step + 1), now));
        Assert.Null(TotpCode.Match(secret, CodeAt(step - 2), now));
        Assert.Null(TotpCode.Match(secret, CodeAt(step + 2), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("１２３４５６")]
    public void Match_RefusesAnythingButSixAsciiDigits(string? code) =>
        Assert.Null(TotpCode.Match(Base32.Encode(RfcKey), code, DateTimeOffset.UtcNow));

    [Fact]
    public void NewSecret_Is160BitsOfBase32_AndTheOtpauthUrlCarriesIt()
    {
        var secret = TotpCode.NewSecret();
        Assert.Equal(32, secret.Length);
        Assert.Equal(20, Base32.Decode(secret)!.Length);
        Assert.NotEqual(secret, TotpCode.NewSecret());

        var url = TotpCode.OtpAuthUrl("My Site", "a+b@example.com", secret);
        Assert.StartsWith("otpauth://totp/My%20Site:a%2Bb%40example.com?secret=" + secret + "&issuer=My%20Site", url, StringComparison.Ordinal);
    }

    // RFC 4648 section 10, without the padding.
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_RoundTripsTheRfc4648Vectors(string plain, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(plain)));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base32.Decode(encoded)!));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base32.Decode(encoded.ToLowerInvariant() + "===")!));
    }

    [Fact]
    public void Base32_RefusesCharactersOutsideTheAlphabet()
    {
        Assert.Null(Base32.Decode("MZXW1"));   // '1' is not base32
        Assert.Null(Base32.Decode("MZ?W6"));
    }

    [Theory]
    [InlineData("alice@example.com", "a***e@example.com")]
    [InlineData("ab@example.com", "a***@example.com")]
    [InlineData("x", "x***")]
    public void MaskEmail_KeepsOnlyTheEdges(string email, string masked) => Assert.Equal(masked, TwoFactorLogin.MaskEmail(email));
}

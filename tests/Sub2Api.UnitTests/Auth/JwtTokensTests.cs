using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.Auth;
using Sub2Api.Configuration;
using Sub2Api.UnitTests.Security;

namespace Sub2Api.UnitTests.Auth;

public sealed class JwtTokensTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private JwtTokens Tokens(SecretStore? secrets = null) =>
        new(secrets ?? ApiKeysTests.Secrets(), Options.Create(new JwtOptions { AccessTokenExpireMinutes = 60 }), _time);

    [Fact]
    public void Issue_ThenValidate_ReturnsClaims()
    {
        var token = Tokens().Issue(42, "a@b.co", "admin", 3);
        var claims = Tokens().Validate(token, out var failure);
        Assert.Null(failure);
        Assert.Equal(42, claims!.UserId);
        Assert.Equal("admin", claims.Role);
        Assert.Equal(3, claims.TokenVersion);
    }

    [Fact]
    public void Validate_AfterExpiry_Fails()
    {
        var token = Tokens().Issue(1, "a@b.co", "user", 0);
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(Tokens().Validate(token, out var failure));
        Assert.Equal("token expired", failure);
    }

    [Fact]
    public void Validate_OtherSecret_Fails()
    {
        var token = Tokens().Issue(1, "a@b.co", "user", 0);
        var other = new SecretStore { JwtSecret = "another-secret-another-secret-another"u8.ToArray(), EncryptionKey = new byte[32] };
        Assert.Null(Tokens(other).Validate(token, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoxfQ.")]
    public void Validate_Garbage_Fails(string token) => Assert.Null(Tokens().Validate(token, out _));

    [Fact]
    public void Validate_ModifiedPayload_Fails()
    {
        var parts = Tokens().Issue(1, "a@b.co", "user", 0).Split('.');
        var forged = System.Buffers.Text.Base64Url.EncodeToString(
            System.Text.Encoding.UTF8.GetBytes("""{"user_id":1,"email":"a@b.co","role":"admin","token_version":0,"iat":0,"exp":9999999999}"""));
        Assert.Null(Tokens().Validate($"{parts[0]}.{forged}.{parts[2]}", out _));
    }
}

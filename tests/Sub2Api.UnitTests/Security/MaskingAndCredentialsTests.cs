using System.Text.Json.Nodes;
using Sub2Api.Security;

namespace Sub2Api.UnitTests.Security;

public sealed class MaskingAndCredentialsTests
{
    [Theory]
    [InlineData("sk-ok-1234567890a1", "sk-ok…a1")]
    [InlineData("abc", "***")]
    [InlineData("", "")]
    public void Mask_KeepsFiveAndTwo(string value, string expected) => Assert.Equal(expected, Masking.Mask(value));

    [Theory]
    [InlineData("api_key", true)]
    [InlineData("access_token", true)]
    [InlineData("refresh_token", true)]
    [InlineData("session_key", true)]
    [InlineData("base_url", false)]
    [InlineData("model_mapping", false)]
    [InlineData("_token_version", false)]
    [InlineData("expires_at", false)]
    public void IsSecretField(string name, bool secret) => Assert.Equal(secret, CredentialsCodec.IsSecretField(name));

    [Fact]
    public void Mask_Credentials_HidesSecretsKeepsRest()
    {
        var masked = CredentialsCodec.Mask(new JsonObject
        {
            ["api_key"] = "sk-ant-api03-secretsecretsecret",
            ["base_url"] = "https://api.example.com",
            ["model_mapping"] = new JsonObject { ["a"] = "b" },
        });
        Assert.Equal("sk-an…et", masked["api_key"]!.GetValue<string>());
        Assert.Equal("https://api.example.com", masked["base_url"]!.GetValue<string>());
        Assert.Equal("b", masked["model_mapping"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public void MergeForUpdate_MaskedValueKeepsStoredSecret_NewValueReplaces()
    {
        var stored = new JsonObject { ["api_key"] = "sk-ant-api03-secretsecretsecret", ["refresh_token"] = "rt-old-value-123456" };
        var incoming = new JsonObject { ["api_key"] = "sk-an…et", ["refresh_token"] = "rt-new-value-654321" };
        var merged = CredentialsCodec.MergeForUpdate(stored, incoming);
        Assert.Equal("sk-ant-api03-secretsecretsecret", merged["api_key"]!.GetValue<string>());
        Assert.Equal("rt-new-value-654321", merged["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public void Protector_RoundTrips_AndCiphertextHidesPlaintext()
    {
        var protector = new SecretProtector(ApiKeysTests.Secrets());
        var codec = new CredentialsCodec(protector);
        var stored = codec.Protect(new JsonObject { ["api_key"] = "sk-plain-secret" });
        Assert.DoesNotContain("sk-plain-secret", stored);
        Assert.NotEqual(stored, codec.Protect(new JsonObject { ["api_key"] = "sk-plain-secret" })); // random nonce
        Assert.Equal("sk-plain-secret", codec.Unprotect(stored)["api_key"]!.GetValue<string>());
    }

    [Fact]
    public void Protector_WrongKey_Fails()
    {
        var stored = new SecretProtector(ApiKeysTests.Secrets()).Protect("x");
        var other = new SecretProtector(ApiKeysTests.Secrets(new string('c', 64)));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => other.Unprotect(stored));
    }

    [Fact]
    public void PasswordHasher_VerifiesOnlyTheRightPassword()
    {
        var hash = PasswordHasher.Hash("correct horse");
        Assert.StartsWith("$2", hash);
        Assert.True(PasswordHasher.Verify("correct horse", hash));
        Assert.False(PasswordHasher.Verify("wrong horse", hash));
        Assert.False(PasswordHasher.Verify("x", "not-a-bcrypt-hash"));
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("12345", "at least 6")]
    [InlineData("123456", null)]
    public void PasswordHasher_Validate(string? password, string? expected)
    {
        var error = PasswordHasher.Validate(password);
        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error);
        }
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Sub2Api.Configuration;
using Sub2Api.Security;

namespace Sub2Api.UnitTests.Security;

public sealed partial class ApiKeysTests
{
    [GeneratedRegex("^sk-[0-9a-f]{64}$")]
    private static partial Regex GeneratedKey();

    internal static SecretStore Secrets(string? encryptionKey = null) => new()
    {
        JwtSecret = "unit-test-jwt-secret-unit-test-jwt-secret"u8.ToArray(),
        EncryptionKey = Convert.FromHexString(encryptionKey ?? new string('a', 64)),
    };

    [Fact]
    public void Generate_IsSkPlus64LowerHex_AndUnique()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeys.Generate()).ToList();
        Assert.All(keys, k => Assert.Matches(GeneratedKey(), k));
        Assert.Equal(100, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("abcdefghijklmnop", null)]
    [InlineData("my_custom-key_1234", null)]
    [InlineData("short-key", "at least 16")]
    [InlineData("has space in the key!", "only letters")]
    [InlineData("ключключключключключ", "only letters")]
    public void ValidateCustom_Rules(string key, string? expectedError)
    {
        var error = ApiKeys.ValidateCustom(key);
        if (expectedError is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expectedError, error);
        }
    }

    [Fact]
    public void ValidateCustom_TooLong_IsRefused() =>
        Assert.Contains("at most", ApiKeys.ValidateCustom(new string('a', 129)));

    [Fact]
    public void Hash_IsKeyedByTheServerSecret()
    {
        var key = ApiKeys.Generate();
        var a = new ApiKeys(Secrets()).Hash(key);
        Assert.Equal(a, new ApiKeys(Secrets()).Hash(key));
        Assert.NotEqual(a, new ApiKeys(Secrets(new string('b', 64))).Hash(key));
        Assert.Equal(64, a.Length);
        Assert.DoesNotContain(key[3..], a);
    }

    [Fact]
    public void Hint_ShowsOnlyPrefixAndSuffix()
    {
        var key = "sk-" + new string('0', 30) + "abcdefghij0123456789abcdefghij1234";
        var hint = ApiKeys.Hint(key);
        Assert.StartsWith("sk-0000", hint);
        Assert.EndsWith("1234", hint);
        Assert.True(hint.Length < 16);
    }
}

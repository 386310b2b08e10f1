using System.Text.RegularExpressions;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed partial class OAuthUserIdTests
{
    private const string ClientId = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
    private const string AccountUuid = "acc00000-0000-4000-8000-000000000001";
    private const string Derived42 = "2a308bee-9df6-46c5-a0e8-7090af59bc1a"; // python: sha256("42::" + SessionId), v4 bits

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex UuidV4();

    [Theory]
    [InlineData("user_" + DeviceId + "_account__session_" + SessionId)]
    [InlineData("user_" + DeviceId + "_account_9f8e7d6c-0000-4000-8000-123456789abc_session_" + SessionId)]
    public void Rewrite_LegacyForm_UsesAccountIdentityAndDerivedSession(string userId) =>
        Assert.Equal($"user_{ClientId}_account_{AccountUuid}_session_{Derived42}", OAuthUserId.Rewrite(userId, 42, AccountUuid, ClientId));

    [Fact]
    public void Rewrite_ClaudeCodeJson_ReplacesFieldsInPlace()
    {
        var userId = $$$"""{"device_id":"{{{DeviceId}}}","account_uuid":"","session_id":"{{{SessionId}}}","extra":{"a":[1,2]}}""";

        var result = OAuthUserId.Rewrite(userId, 42, AccountUuid, ClientId);

        Assert.Equal($$$"""{"device_id":"{{{ClientId}}}","account_uuid":"{{{AccountUuid}}}","session_id":"{{{Derived42}}}","extra":{"a":[1,2]}}""", result);
    }

    [Fact]
    public void Rewrite_ClaudeCodeJsonMissingFields_AppendsThem()
    {
        var result = OAuthUserId.Rewrite($$""" { "session_id" : "{{SessionId}}" } """, 42, AccountUuid, ClientId);

        Assert.Equal($$""" { "session_id" : "{{Derived42}}","device_id":"{{ClientId}}","account_uuid":"{{AccountUuid}}" } """, result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-user")]
    [InlineData("user_abc_account__session_" + SessionId)]
    [InlineData("user_" + DeviceId + "_account__session_" + SessionId + "x")]
    [InlineData("{not json")]
    [InlineData("{\"device_id\":\"d\"}")]
    [InlineData("{\"session_id\":5}")]
    [InlineData("[\"session_id\"]")]
    public void Rewrite_NeitherForm_ReturnsNull(string userId) =>
        Assert.Null(OAuthUserId.Rewrite(userId, 42, AccountUuid, ClientId));

    [Fact]
    public void Rewrite_DifferentAccounts_DifferentSessions()
    {
        var userId = "user_" + DeviceId + "_account__session_" + SessionId;

        Assert.NotEqual(OAuthUserId.Rewrite(userId, 1, AccountUuid, ClientId), OAuthUserId.Rewrite(userId, 2, AccountUuid, ClientId));
    }

    [Theory]
    [InlineData("42::" + SessionId, Derived42)]
    [InlineData("7::abc", "97d93ead-fc07-49ef-972a-43cfb271c2d0")]
    public void UuidFromSha256_KnownInputs_MatchReference(string input, string expected) =>
        Assert.Equal(expected, OAuthUserId.UuidFromSha256(input));

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("1::2")]
    [InlineData("ünïcode")]
    public void UuidFromSha256_AnyInput_HasVersion4AndRfcVariant(string input) =>
        Assert.Matches(UuidV4(), OAuthUserId.UuidFromSha256(input));

    [Theory]
    [InlineData("""{"session_id":"\ud800"}""")]
    // Names long enough that finding device_id / account_uuid / session_id must decode them.
    [InlineData("""{"device_id":"d","session_id":"s1","\udfffxxxxxxxxxxxx":1}""")]
    [InlineData("""{"\ud800xxxxxxxxxxxx":1,"session_id":"s1"}""")]
    public void Rewrite_JsonWithLoneSurrogateEscape_IsNotRewritten_AndDoesNotThrow(string userId) =>
        Assert.Null(OAuthUserId.Rewrite(userId, 42, AccountUuid, ClientId));

    [Fact]
    public void Rewrite_ShortOddName_IsKeptAsItIs() =>
        Assert.Equal($$$"""{"\ud800":1,"session_id":"{{{Derived42}}}","device_id":"{{{ClientId}}}","account_uuid":"{{{AccountUuid}}}"}""",
            OAuthUserId.Rewrite($$"""{"\ud800":1,"session_id":"{{SessionId}}"}""", 42, AccountUuid, ClientId));

    [Fact]
    public void TryGetSessionId_LoneSurrogateEscape_IsNoSession() =>
        Assert.Null(ClaudeCodeUserId.TryGetSessionId("""{"session_id":"\ud800\u0041"}"""));
}

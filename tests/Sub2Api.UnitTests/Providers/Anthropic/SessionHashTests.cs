using System.IO.Hashing;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class SessionHashTests
{
    private const string LegacyUserId = "user_" + DeviceId + "_account__session_11111111-2222-4333-8444-555555555555";

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }
        return dictionary;
    }

    private static string Body(string? userId, string system = "sys", string first = "first") =>
        $$"""{"model":"m","system":"{{system}}","messages":[{"role":"user","content":"{{first}}"}]{{(userId is null ? "" : $",\"metadata\":{{\"user_id\":\"{userId}\"}}")}}}""";

    [Fact]
    public void Compute_ClaudeCodeSessionHeader_WinsOverEverything()
    {
        var headers = Headers(("x-claude-code-session-id", "cc-session-1"), ("x-session-affinity", "aff"));

        Assert.Equal("s:cc-session-1", SessionHash.Compute(Parse(FirstTurn()), headers));
    }

    [Theory]
    [InlineData("JSON user_id (Claude Code 2.x)", null, "s:" + SessionId)]
    [InlineData("legacy session_ form", LegacyUserId, "s:11111111-2222-4333-8444-555555555555")]
    [InlineData("legacy form inside other text", "prefix-session_aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee-suffix", "s:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")]
    public void Compute_MetadataUserId_ReturnsItsSessionVerbatim(string scenario, string? userId, string expected)
    {
        var info = userId is null ? Parse(FirstTurn()) : Parse(Body(userId));

        Assert.True(expected == SessionHash.Compute(info, Headers(("x-session-affinity", "aff"))), scenario);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plain-user-id")]
    [InlineData("user_abc_account__session_not-a-uuid")]
    public void Compute_SessionAffinityHeader_UsedWhenUserIdHasNoSession(string? userId) =>
        Assert.Equal("s:opencode-ses_42", SessionHash.Compute(Parse(Body(userId)), Headers(("x-session-affinity", " opencode-ses_42 "))));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tid")]
    public void Compute_UnusableHeaderIds_FallThroughToContent(string value)
    {
        var info = Parse(Body(null));
        var headers = Headers(("x-claude-code-session-id", value), ("x-session-affinity", value));

        Assert.StartsWith("h:", SessionHash.Compute(info, headers), StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_OverlongHeaderId_FallsThroughToContent() =>
        Assert.StartsWith("h:", SessionHash.Compute(Parse(Body(null)), Headers(("x-session-affinity", new string('a', 257)))), StringComparison.Ordinal);

    [Fact]
    public void Compute_Content_IsBase36XxHashOfSystemAndFirstMessage()
    {
        var info = Parse(Body(null, "sys", "first"));
        var expected = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("sys\u0001first"));

        Assert.Equal("h:" + SessionHash.ToBase36(expected), SessionHash.Compute(info, Headers()));
    }

    [Fact]
    public void Compute_Content_PrefersCacheableSystemText()
    {
        var info = Parse(FirstTurn("hi")) with { MetadataUserId = null };
        var expected = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(Banner + MainPrompt + "\u0001" + Reminder + "hi"));

        Assert.Equal("h:" + SessionHash.ToBase36(expected), SessionHash.Compute(info, Headers()));
    }

    [Fact]
    public void Compute_SameCacheableSystemDifferentFirstMessages_DifferentHashes()
    {
        var a = Parse(FirstTurn("fix the login bug")) with { MetadataUserId = null };
        var b = Parse(FirstTurn("write the release notes")) with { MetadataUserId = null };

        Assert.Equal(a.CacheableSystemText, b.CacheableSystemText);
        Assert.NotEqual(SessionHash.Compute(a, Headers()), SessionHash.Compute(b, Headers()));
    }

    [Fact]
    public void Compute_ConversationGrowingByTurns_SameHash()
    {
        // The cache breakpoint moves to the newest message between turns; the key must not move with it.
        var first = Parse(FirstTurn("hi")) with { MetadataUserId = null };
        var second = Parse(SecondTurn("hi", "now list files")) with { MetadataUserId = null };
        var third = Parse(SecondTurn("hi", "and delete the tmp ones")) with { MetadataUserId = null };

        var hash = SessionHash.Compute(first, Headers());
        Assert.Equal(hash, SessionHash.Compute(second, Headers()));
        Assert.Equal(hash, SessionHash.Compute(third, Headers()));
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}")]
    [InlineData("{\"model\":\"m\",\"system\":[],\"messages\":[]}")]
    [InlineData("{\"model\":\"m\",\"system\":null,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]}")]
    public void Compute_NothingUsable_ReturnsEmpty(string body) =>
        Assert.Equal("", SessionHash.Compute(Parse(body), Headers()));

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(35UL, "z")]
    [InlineData(36UL, "10")]
    [InlineData(ulong.MaxValue, "3w5e11264sgsf")]
    public void ToBase36_MatchesGoFormatUint(ulong value, string expected) =>
        Assert.Equal(expected, SessionHash.ToBase36(value));

    [Fact]
    public void Compute_LongNonAsciiContent_HashesTheWholeUtf8()
    {
        // Crosses the 4096-char chunk boundary with a surrogate pair straddling it.
        var system = new string('x', 4095) + "😀" + new string('é', 5000);
        var info = Parse(Body(null, "s", "f")) with { SystemText = system, FirstMessageText = "ü" };
        var expected = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(system + "\u0001ü"));

        Assert.Equal("h:" + SessionHash.ToBase36(expected), SessionHash.Compute(info, Headers()));
    }
}

using Sub2Api.Providers.Anthropic;
using static Sub2Api.UnitTests.Providers.Anthropic.ClaudeCodeBodies;

using Sub2Api.Common;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class ClaudeMimicTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5-20250929")]
    [InlineData("claude-opus-4-5", "claude-opus-4-5-20251101")]
    [InlineData("claude-haiku-4-5", "claude-haiku-4-5-20251001")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")]
    [InlineData("claude-opus-4-6", "claude-opus-4-6")]
    [InlineData("Claude-Sonnet-4-5", "Claude-Sonnet-4-5")]
    public void NormalizeModelId_Model_Expected(string model, string expected) =>
        Assert.Equal(expected, ClaudeMimic.NormalizeModelId(model));

    [Theory]
    [InlineData(null, "oauth-2025-04-20,interleaved-thinking-2025-05-14")]
    [InlineData("", "oauth-2025-04-20,interleaved-thinking-2025-05-14")]
    [InlineData("claude-code-20250219", "oauth-2025-04-20,interleaved-thinking-2025-05-14")]
    [InlineData(" context-1m-2025-08-07 , oauth-2025-04-20,,claude-code-20250219,context-1m-2025-08-07",
        "oauth-2025-04-20,interleaved-thinking-2025-05-14,context-1m-2025-08-07")]
    [InlineData("fine-grained-tool-streaming-2025-05-14", "oauth-2025-04-20,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14")]
    public void MimicBetaHeader_Incoming_RequiredFirstDedupedWithoutClaudeCode(string? incoming, string expected) =>
        Assert.Equal(expected, ClaudeMimic.MimicBetaHeader(incoming));

    [Theory]
    [InlineData("""{"a":1,"b":2,"c":3}""", "a", """{"b":2,"c":3}""")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "b", """{"a":1,"c":3}""")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "c", """{"a":1,"b":2}""")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "ab", """{"c":3}""")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "bc", """{"a":1}""")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "ac", """{"b":2}""")]
    [InlineData("""{ "a" : 1 , "b" : 2 }""", "a", """{ "b" : 2 }""")]
    [InlineData("""{"a":1}""", "a", "{}")]
    public void RemoveProperties_AnySubset_OneCommaEach(string json, string names, string expected)
    {
        var properties = JsonBytes.Properties(Utf8(json), out _);
        var edits = new List<ByteEdit>();

        JsonBytes.RemoveProperties(properties, [.. properties.Select(p => names.Contains(p.Name, StringComparison.Ordinal))], edits);

        Assert.Equal(expected, Text(JsonBytes.Splice(Utf8(json), [.. edits.OrderBy(e => e.Start)])));
    }
}

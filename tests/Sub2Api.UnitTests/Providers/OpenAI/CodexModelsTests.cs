using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class CodexModelsTests
{
    [Theory]
    [InlineData("gpt-5", "gpt-5.1", null)]
    [InlineData("gpt-5-codex", "gpt-5.1-codex", null)]
    [InlineData("gpt-5-codex-mini", "gpt-5.1-codex-mini", null)]
    [InlineData("codex-mini-latest", "gpt-5.1-codex-mini", null)]
    [InlineData("gpt-5-mini", "gpt-5.1-codex-mini", null)]
    [InlineData("gpt-5-nano", "gpt-5.1-codex-mini", null)]
    [InlineData("gpt-5.1", "gpt-5.1", null)]
    [InlineData("gpt-5.1-codex", "gpt-5.1-codex", null)]
    [InlineData("gpt-5.1-codex-mini", "gpt-5.1-codex-mini", null)]
    [InlineData("gpt-5.1-codex-max", "gpt-5.1-codex-max", null)]
    [InlineData("gpt-5.1-codex-max-xhigh", "gpt-5.1-codex-max", "xhigh")]
    [InlineData("gpt-5.1-codex-high", "gpt-5.1-codex", "high")]
    [InlineData("gpt-5.1-medium", "gpt-5.1", "medium")]
    [InlineData("gpt-5-codex-low", "gpt-5.1-codex", "low")]
    [InlineData("gpt-5-minimal", "gpt-5.1", "minimal")]
    [InlineData("gpt-5.1-none", "gpt-5.1", "none")]
    [InlineData("gpt-5-2025-08-07", "gpt-5.1", null)]
    [InlineData("GPT-5.1-Codex", "gpt-5.1-codex", null)]
    [InlineData(" openai/gpt-5-codex ", "gpt-5.1-codex", null)]
    [InlineData("gpt-5.3-codex", "gpt-5.3-codex", null)]
    [InlineData("gpt-5.6-sol", "gpt-5.6-sol", null)]
    [InlineData("codex-auto-review", "codex-auto-review", null)]
    [InlineData("gpt-4o", "gpt-5.1", null)]
    [InlineData("o3", "gpt-5.1", null)]
    [InlineData("claude-sonnet-4-5", "gpt-5.1", null)]
    public void Split_NormalisesToTheCodexSet(string requested, string model, string? effort)
    {
        Assert.Equal((model, effort), CodexModels.Split(requested));
        Assert.Equal(model, CodexModels.Normalize(requested));
    }

    [Fact]
    public void Plan_For_CarriesModelAndSuffixEffort() =>
        Assert.Equal(new CodexRewritePlan("gpt-5.1-codex", "high"), CodexRewritePlan.For("gpt-5-codex-high"));
}

using Microsoft.AspNetCore.Http;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class MemoryFingerprintStoreTests
{
    private const string Ua2122 = "claude-cli/2.1.22 (external, cli)";

    private static HeaderDictionary Headers(string? userAgent, bool stainless = false)
    {
        var headers = new HeaderDictionary();
        if (userAgent is not null)
        {
            headers["User-Agent"] = userAgent;
        }
        if (stainless)
        {
            headers["X-Stainless-Lang"] = "js";
            headers["X-Stainless-Package-Version"] = "0.94.0";
            headers["X-Stainless-OS"] = "MacOS";
            headers["X-Stainless-Arch"] = "x64";
            headers["X-Stainless-Runtime"] = "node";
            headers["X-Stainless-Runtime-Version"] = "v26.3.0";
        }
        return headers;
    }

    [Fact]
    public void GetOrCreate_FirstClient_CopiesItsHeadersWithRandomClientId()
    {
        var store = new MemoryFingerprintStore();

        var fp = store.GetOrCreate(1, Headers("claude-cli/2.1.197 (external, sdk-cli)", stainless: true));

        Assert.Matches("^[0-9a-f]{64}$", fp.ClientId);
        Assert.Equal(new Fingerprint(fp.ClientId, "claude-cli/2.1.197 (external, sdk-cli)", "js", "0.94.0", "MacOS", "x64", "node", "v26.3.0"), fp);
        Assert.NotEqual(fp.ClientId, store.GetOrCreate(2, Headers(null)).ClientId);
    }

    [Fact]
    public void GetOrCreate_MissingHeaders_DefaultsFromSpec61()
    {
        var fp = new MemoryFingerprintStore().GetOrCreate(1, Headers(null));

        Assert.Equal(new Fingerprint(fp.ClientId, Ua2122, "js", "0.70.0", "Linux", "arm64", "node", "v24.13.0"), fp);
    }

    [Theory]
    [InlineData("curl/8.5.0")]
    [InlineData("claude-cli/999.0.0-local")]
    [InlineData("Anthropic/JS 1.14.0")]
    public void GetOrCreate_FirstClientNotAValidCli_UsesDefaultUserAgent(string userAgent) =>
        Assert.Equal(Ua2122, new MemoryFingerprintStore().GetOrCreate(1, Headers(userAgent)).UserAgent);

    [Fact]
    public void GetOrCreate_LaterClient_KeepsIdentityExceptUserAgent()
    {
        var store = new MemoryFingerprintStore();
        var first = store.GetOrCreate(7, Headers(Ua2122));

        var later = store.GetOrCreate(7, Headers("claude-cli/2.1.197 (external, cli)", stainless: true));

        Assert.Equal(first with { UserAgent = "claude-cli/2.1.197 (external, cli)" }, later);
    }

    [Theory]
    [InlineData("claude-cli/2.1.23", "claude-cli/2.1.23")]
    [InlineData("claude-cli/2.2.0 (external, cli)", "claude-cli/2.2.0 (external, cli)")]
    [InlineData("claude-cli/10.0.0 (external, cli)", "claude-cli/10.0.0 (external, cli)")]
    [InlineData("claude-cli/999.0.0-local", Ua2122)]
    [InlineData("claude-cli/999.0.0", Ua2122)]
    [InlineData("claude-cli/100.0.0 (external, cli)", Ua2122)]
    [InlineData("claude-cli/2.1.22 (external, sdk-cli)", Ua2122)]
    [InlineData("claude-cli/2.1.5 (external, cli)", Ua2122)]
    [InlineData("claude-cli/1.9.99", Ua2122)]
    [InlineData("claude-cli/3.0", Ua2122)]
    [InlineData("claude-cli/3.0.0.1", Ua2122)]
    [InlineData("claude-cli/3.0.0-beta (external, cli)", Ua2122)]
    [InlineData("claude-cli/3.0.0 external", Ua2122)]
    [InlineData("Claude-CLI/3.0.0", Ua2122)]
    [InlineData("claude-cli/+3.0.0", Ua2122)]
    [InlineData("claude-cli/3.0.0 (external, cli) extra", Ua2122)]
    public void GetOrCreate_OfferedUserAgent_AdoptedOnlyWhenStrictlyNewerAndWellFormed(string offered, string expected)
    {
        var store = new MemoryFingerprintStore();
        store.GetOrCreate(1, Headers(Ua2122));

        Assert.Equal(expected, store.GetOrCreate(1, Headers(offered)).UserAgent);
        Assert.Equal(expected, store.GetOrCreate(1, Headers(null)).UserAgent);
    }

    [Fact]
    public void GetOrCreate_PoisonAfterUpgrade_StillIgnored()
    {
        var store = new MemoryFingerprintStore();
        store.GetOrCreate(1, Headers("claude-cli/2.1.197 (external, cli)"));

        store.GetOrCreate(1, Headers("claude-cli/999.0.0-local"));
        store.GetOrCreate(1, Headers("claude-cli/2.1.100 (external, cli)"));

        Assert.Equal("claude-cli/2.1.197 (external, cli)", store.GetOrCreate(1, Headers(null)).UserAgent);
    }

    [Fact]
    public async Task GetOrCreate_ConcurrentUpgrades_EndOnTheNewestAndOneClientId()
    {
        var store = new MemoryFingerprintStore();
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => store.GetOrCreate(3, Headers($"claude-cli/2.{i % 50}.{i} (external, cli)")))));

        Assert.Single(results.Select(r => r.ClientId).Distinct());
        Assert.Equal("claude-cli/2.49.199 (external, cli)", store.GetOrCreate(3, Headers(null)).UserAgent);
    }

    [Theory]
    [InlineData("claude-cli/2.1.22", true, 2, 1, 22)]
    [InlineData("claude-cli/99.9999.99999 (x)", true, 99, 9999, 99999)]
    [InlineData("claude-cli/2.1.22 ()", true, 2, 1, 22)]
    [InlineData("claude-cli/100.1.1", false, 0, 0, 0)]
    [InlineData("claude-cli/2.1.x", false, 0, 0, 0)]
    [InlineData("claude-cli/2..1", false, 0, 0, 0)]
    [InlineData("claude-cli/", false, 0, 0, 0)]
    [InlineData(null, false, 0, 0, 0)]
    public void ClaudeCliVersion_TryParse_StrictForm(string? userAgent, bool ok, int major, int minor, int patch)
    {
        Assert.Equal(ok, ClaudeCliVersion.TryParse(userAgent, out var version));
        Assert.Equal(new ClaudeCliVersion(major, minor, patch), version);
    }
}

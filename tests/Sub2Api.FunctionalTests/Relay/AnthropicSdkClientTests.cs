using System.Diagnostics;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// A real client: the official <c>@anthropic-ai/sdk</c> npm package, unmodified, streaming and not, through the
/// gateway on a real socket to the fake upstream. <c>./test.sh</c> installs the package (tests/clients/anthropic-sdk).
/// </summary>
public sealed class AnthropicSdkClientTests
{
    private static readonly string ClientDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../clients/anthropic-sdk"));

    [Fact]
    public async Task OfficialSdk_PlainAndStreamed_WorkThroughTheGatewayAndAreBilled()
    {
        if (!File.Exists(Path.Combine(ClientDir, "node_modules/@anthropic-ai/sdk/package.json")))
        {
            const string why = "the Anthropic SDK is not installed: run ./test.sh (it runs npm ci in tests/clients/anthropic-sdk)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(why);
            }
            Assert.Skip(why);
        }
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?> { [Sub2ApiFactory.UseKestrelSetting] = "true" });
        var gatewayUrl = s.App.ServerAddress;
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 5m);

        var start = new ProcessStartInfo("node", "check.mjs")
        {
            WorkingDirectory = ClientDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["GATEWAY_URL"] = gatewayUrl, ["GATEWAY_KEY"] = key },
        };
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}");

        using var result = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
        var root = result.RootElement;
        Assert.Equal("Hello from the fake upstream.", root.GetProperty("plainText").GetString());
        Assert.Equal("claude-sonnet-4-5", root.GetProperty("plainModel").GetString());
        Assert.Equal("part 0 part 1 part 2 ", root.GetProperty("streamedText").GetString());
        Assert.Equal(FakeUpstream.OutputTokens, root.GetProperty("finalUsage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(401, root.GetProperty("errorStatus").GetInt32());

        // The SDK sends `Authorization: Bearer`; the upstream must see the account's key instead.
        Assert.All(s.Upstream.Received, r => Assert.StartsWith("sk-fake-ok", r.Credential));
        await s.FlushUsageAsync();
        Assert.Equal(2, (await s.UsageRowsAsync()).Count);
        Assert.Equal(5m - (2 * 0.0113925m), await s.BalanceAsync(userId));
    }
}

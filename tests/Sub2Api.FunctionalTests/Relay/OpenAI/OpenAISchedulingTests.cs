using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// How OpenAI accounts are picked and rested between requests: a success reporting a full usage window rests the
/// account, a conversation (prompt_cache_key or session header) stays on its account while different conversations
/// spread, and a client that leaves mid-stream is still billed once after the upstream is drained.
/// </summary>
public sealed class OpenAISchedulingTests
{
    private const string Model = "gpt-5.1";

    private static string ResponsesBody(bool stream, string? promptCacheKey = null) =>
        $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"input":"hi {{Guid.NewGuid():N}}"{{(promptCacheKey is null ? "" : $",\"prompt_cache_key\":\"{promptCacheKey}\"")}}}""";

    [Fact]
    public async Task SuccessReportingAFullWindow_RestsTheAccount_NextRequestGoesElsewhere()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        var full = await gateway.AddChatGptAccountAsync("ok", priority: 1);
        var other = await gateway.AddChatGptAccountAsync("ok", priority: 2);
        var fullToken = gateway.CredentialOf(full);
        // Only the first account's answers say its 5-hour window is used up (resets in 30 minutes).
        upstream.UsageHeaders = () => upstream.Received is { Count: > 0 } received && received[^1].Credential.Contains(fullToken, StringComparison.Ordinal)
            ? new Dictionary<string, string>
            {
                ["x-codex-primary-used-percent"] = "100",
                ["x-codex-primary-reset-after-seconds"] = "1800",
                ["x-codex-primary-window-minutes"] = "300",
                ["x-codex-secondary-used-percent"] = "60",
                ["x-codex-secondary-reset-after-seconds"] = "300000",
                ["x-codex-secondary-window-minutes"] = "10080",
            }
            : new Dictionary<string, string> { ["x-codex-primary-used-percent"] = "10", ["x-codex-primary-reset-after-seconds"] = "3600", ["x-codex-primary-window-minutes"] = "300" };
        var before = DateTime.UtcNow;

        var (status, body, _) = await gateway.PostAsync("/v1/responses", ResponsesBody(stream: true));
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, gateway.UpstreamCount(full)); // served: the window was reported full only with the answer

        // The rest is persisted off the hot path: wait for it, then the next requests avoid the account.
        await RelayScenario.WaitUntilAsync(async () => (await gateway.AccountAsync(full)).RateLimitResetAt is not null,
            because: "the full window rests the account");
        var resetAt = (await gateway.AccountAsync(full)).RateLimitResetAt!.Value;
        Assert.InRange(resetAt, before.AddSeconds(1798), DateTime.UtcNow.AddSeconds(1802));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream: i % 2 == 0))).Status);
        }
        Assert.Equal(1, gateway.UpstreamCount(full));
        Assert.Equal(3, gateway.UpstreamCount(other));
        await gateway.AssertBilledAsync(4, accountId: null, Model);
    }

    [Fact]
    public async Task SamePromptCacheKey_StaysOnItsAccount_DifferentKeysSpread()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        for (var i = 0; i < 3; i++)
        {
            await gateway.AddChatGptAccountAsync("ok");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream: i % 2 == 0, "conv-A"))).Status);
        }
        var conversation = upstream.Received.Select(gateway.AccountOf).ToList();
        Assert.Single(conversation.Distinct());

        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream: false, $"conv-{i}"))).Status);
        }
        var spread = upstream.Received.Skip(5).Select(gateway.AccountOf).Distinct().Count();
        Assert.True(spread > 1, "nine different conversations all landed on one account");
        await gateway.AssertBilledAsync(14, accountId: null, Model);
    }

    [Fact]
    public async Task SameSessionHeader_StaysOnItsAccount_OnApiKeyAccountsToo()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, accountWord: null);
        for (var i = 0; i < 3; i++)
        {
            await gateway.AddApiKeyAccountAsync("ok");
        }

        foreach (var header in (string[])["session_id", "session-id"])
        {
            var before = upstream.Received.Count;
            var session = new Dictionary<string, string> { [header] = $"sess-{Guid.NewGuid():N}" };
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream: i % 2 == 1), headers: session)).Status);
            }
            Assert.Single(upstream.Received.Skip(before).Select(gateway.AccountOf).Distinct());
        }
        await gateway.AssertBilledAsync(8, accountId: null, Model);
    }

    [Theory]
    [InlineData(false, "/v1/responses")]
    [InlineData(true, "/v1/responses")]
    [InlineData(true, "/v1/chat/completions")]
    [InlineData(false, "/v1/chat/completions")]
    public async Task ClientLeavesMidStream_UpstreamDrained_BilledOnce(bool chatGpt, string path)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        upstream.SlowEventDelay = TimeSpan.FromMilliseconds(60);
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: chatGpt, accountWord: "slow");
        var json = path.Contains("chat", StringComparison.Ordinal)
            ? $$"""{"model":"{{Model}}","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"""
            : ResponsesBody(stream: true);

        using (var client = gateway.Client())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.Contains(FakeOpenAIUpstream.TextDeltas[0], StringComparison.Ordinal))
            {
            }
        } // the client goes away after the first text

        await RelayScenario.WaitUntilAsync(async () =>
        {
            await gateway.FlushUsageAsync();
            return (await gateway.UsageRowsAsync()).Count > 0;
        }, TimeSpan.FromSeconds(15), "the drained request is billed");
        // Billed with the usage of response.completed / the last chunk: the gateway read the upstream to its end.
        await gateway.AssertBilledAsync(1, gateway.AccountId, Model);
    }
}

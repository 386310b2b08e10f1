using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

public sealed class MessagesRelayTests
{
    // Sonnet 4.5 prices: in 3e-6, out 15e-6, cache 5m 3.75e-6, 1h 6e-6, read 0.3e-6 per token.
    // 1000×0.000003 + 500×0.000015 + 150×0.00000375 + 50×0.000006 + 100×0.0000003 = 0.0113925
    private const decimal ExpectedCost = 0.0113925m;

    [Fact]
    public async Task Json_ThroughApiKeyAccount_ReturnsUpstreamAnswerAndBillsExactly()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, keyId) = await s.AddUserWithKeyAsync(balance: 10m);

        var response = await s.Client(key).PostAsync("/v1/messages", RelayScenario.MessageBody(stream: false));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("claude-sonnet-4-5", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("Hello from the fake upstream.", json.RootElement.GetProperty("content")[0].GetProperty("text").GetString());

        await s.FlushUsageAsync();
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.Equal(keyId, row.ApiKeyId);
        Assert.Equal(FakeUpstream.InputTokens, row.InputTokens);
        Assert.Equal(FakeUpstream.OutputTokens, row.OutputTokens);
        Assert.Equal(FakeUpstream.CacheCreation5m, row.CacheCreation5mTokens);
        Assert.Equal(ExpectedCost, row.TotalCost);
        Assert.Equal(ExpectedCost, row.ActualCost);
        Assert.False(row.Stream);
        Assert.Equal(10m - ExpectedCost, await s.BalanceAsync(userId));
    }

    [Fact]
    public async Task Stream_ThroughApiKeyAccount_ForwardsEveryEventAndBills()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = RelayScenario.MessageBody(stream: true) };
        using var response = await s.Client(key).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("event: message_start", body);
        Assert.Contains("part 2", body);
        Assert.Contains("event: message_stop", body);

        await s.FlushUsageAsync();
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.True(row.Stream);
        Assert.NotNull(row.FirstTokenMs);
        Assert.Equal(ExpectedCost, row.ActualCost);
        Assert.Equal(1m - ExpectedCost, await s.BalanceAsync(userId));
    }

    [Fact]
    public async Task Stream_UsageOnlyInMessageDelta_IsStillBilled()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("glm");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        using var response = await s.Client(key).PostAsync("/v1/messages", RelayScenario.MessageBody(stream: true));
        _ = await response.Content.ReadAsStringAsync();
        await s.FlushUsageAsync();
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.Equal(FakeUpstream.InputTokens, row.InputTokens);
        Assert.Equal(FakeUpstream.OutputTokens, row.OutputTokens);
        Assert.Equal(FakeUpstream.CacheReadTokens, row.CacheReadTokens);
    }
}

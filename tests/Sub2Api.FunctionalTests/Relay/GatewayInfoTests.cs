using System.Net;
using System.Text;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// The gateway's side routes (SPEC §2.2): count_tokens (no slot, no usage row), /v1/models, the /v1/usage shape
/// for CC-Switch-style clients, and Claude Code's telemetry sink.
/// </summary>
public sealed class GatewayInfoTests
{
    private const decimal ExpectedCost = 0.0113925m;

    private static readonly string[] DefaultModels =
        ["claude-opus-4-5-20251101", "claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"];

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task CountTokens_PassesTheUpstreamAnswerThrough_AndWritesNoUsage()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok", modelMapping: new Dictionary<string, string> { ["claude-sonnet-4-5"] = "glm-4.6" });
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m);

        using var response = await s.Client(key).PostAsync("/v1/messages/count_tokens", RelayScenario.MessageBody(stream: false));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(42, JsonDocument.Parse(body).RootElement.GetProperty("input_tokens").GetInt32());
        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("/v1/messages/count_tokens", received.Path);
        Assert.Equal("glm-4.6", received.Json["model"]!.GetValue<string>());
        await s.FlushUsageAsync();
        Assert.Empty(await s.UsageRowsAsync());
        Assert.Equal(1m, await s.BalanceAsync(userId));
    }

    [Fact]
    public async Task CountTokens_OAuthAccount_UsesTheBetaPath()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        using var response = await s.Client(key).PostAsync("/v1/messages/count_tokens", RelayScenario.MessageBody(stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("/v1/messages/count_tokens", received.Path);
        Assert.Equal("?beta=true", received.Query);
        Assert.Equal("Bearer " + s.CredentialOf(account), received.Header("authorization"));
    }

    [Fact]
    public async Task CountTokens_ZeroBalance_RefusedBeforeGoingUpstream()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(balance: 0m);

        using var response = await s.Client(key).PostAsync("/v1/messages/count_tokens", RelayScenario.MessageBody(stream: false));
        var body = await response.Content.ReadAsStringAsync();

        // count_tokens is billing-eligibility-checked like /v1/messages (SPEC §2.2).
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, body);
        Assert.Equal("INSUFFICIENT_BALANCE", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Models_NoAccountMapsModels_ReturnsTheStaticClaudeList()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, json) = await GetJsonAsync(s.Client(key), "/v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        var ids = json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(DefaultModels.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.All(json.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Models_AccountsMapModels_ReturnsTheUnionOfMappedNames()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok", modelMapping: new Dictionary<string, string>
        {
            ["claude-sonnet-4-5"] = "glm-4.6",
            ["claude-opus-4-5"] = "glm-4.6",
        });
        await s.AddApiKeyAccountAsync("ok", modelMapping: new Dictionary<string, string>
        {
            ["claude-sonnet-4-5"] = "kimi-k2",
            ["claude-haiku-4-5"] = "kimi-k2",
        });
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, json) = await GetJsonAsync(s.Client(key), "/v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        var ids = json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(["claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-5"], ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Usage_BalanceKey_HasTheCcSwitchShape()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(balance: 10m);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        await s.FlushUsageAsync();

        var (status, json) = await GetJsonAsync(s.Client(key), "/v1/usage");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(json.GetProperty("isValid").GetBoolean());
        Assert.Equal("钱包余额", json.GetProperty("planName").GetString());
        Assert.Equal("USD", json.GetProperty("unit").GetString());
        Assert.Equal(10m - (2 * ExpectedCost), json.GetProperty("remaining").GetDecimal());
        Assert.Equal(10m - (2 * ExpectedCost), json.GetProperty("balance").GetDecimal());
        var usage = json.GetProperty("usage");
        foreach (var period in new[] { "today", "total" })
        {
            var p = usage.GetProperty(period);
            Assert.Equal(2, p.GetProperty("requests").GetInt32());
            Assert.Equal(2 * FakeUpstream.InputTokens, p.GetProperty("input_tokens").GetInt64());
            Assert.Equal(2 * FakeUpstream.OutputTokens, p.GetProperty("output_tokens").GetInt64());
            Assert.Equal(2 * FakeUpstream.CacheCreationTokens, p.GetProperty("cache_creation_tokens").GetInt64());
            Assert.Equal(2 * FakeUpstream.CacheReadTokens, p.GetProperty("cache_read_tokens").GetInt64());
            Assert.Equal(2 * (FakeUpstream.InputTokens + FakeUpstream.OutputTokens + FakeUpstream.CacheCreationTokens + FakeUpstream.CacheReadTokens),
                p.GetProperty("total_tokens").GetInt64());
            Assert.Equal(2 * ExpectedCost, p.GetProperty("cost").GetDecimal());
            Assert.Equal(2 * ExpectedCost, p.GetProperty("actual_cost").GetDecimal());
        }
        Assert.True(usage.TryGetProperty("average_duration_ms", out _));
        Assert.Equal(2, usage.GetProperty("rpm").GetInt32());
        Assert.True(usage.TryGetProperty("tpm", out _));
        Assert.False(json.TryGetProperty("subscription", out _));
    }

    [Fact]
    public async Task Usage_CountsOnlyTheCallingKey()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (mine, _, _) = await s.AddUserWithKeyAsync();
        var (theirs, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(theirs)).Status);
        await s.FlushUsageAsync();

        var (status, json) = await GetJsonAsync(s.Client(mine), "/v1/usage");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, json.GetProperty("usage").GetProperty("total").GetProperty("requests").GetInt32());
        Assert.Equal(10m, json.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task EventLoggingBatch_WithoutKey_Returns200()
    {
        await using var s = await RelayScenario.StartAsync();

        using var response = await s.App.CreateClient().PostAsync("/api/event_logging/batch",
            new StringContent("{\"events\":[{\"event_type\":\"tengu_startup\"}]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(s.Upstream.Received);
    }
}

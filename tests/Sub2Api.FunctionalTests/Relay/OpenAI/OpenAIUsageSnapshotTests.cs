using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// A ChatGPT account's x-codex usage headers become its usage snapshot: kept in the account's <c>extra</c> and shown by
/// <c>GET /admin/accounts/:id/usage</c> as the 5-hour and 7-day windows.
/// </summary>
public sealed class OpenAIUsageSnapshotTests
{
    [Fact]
    public async Task CodexHeaders_OfAnAnswer_AreTheAccountsFiveHourAndSevenDayUsage()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);
        upstream.UsageHeaders = () => new Dictionary<string, string>
        {
            // Primary is the 7-day window here: the windows are told apart by their length, not their name.
            ["x-codex-primary-used-percent"] = "40",
            ["x-codex-primary-reset-after-seconds"] = "86400",
            ["x-codex-primary-window-minutes"] = "10080",
            ["x-codex-secondary-used-percent"] = "12.5",
            ["x-codex-secondary-reset-after-seconds"] = "3600",
            ["x-codex-secondary-window-minutes"] = "300",
        };
        var admin = await gateway.App.AdminAsync();
        var before = await admin.GetAsync($"/api/v1/admin/accounts/{gateway.AccountId}/usage");
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(JsonValueKind.Null, before.Data.GetProperty("five_hour").ValueKind); // nothing reported yet

        var started = DateTime.UtcNow;
        var (status, body, _) = await gateway.PostAsync("/v1/responses", """{"model":"gpt-5.1-codex","input":"hi","stream":true}""");
        Assert.True(status == HttpStatusCode.OK, body);

        JsonElement usage = default;
        await RelayScenario.WaitUntilAsync(async () =>
        {
            usage = (await admin.GetAsync($"/api/v1/admin/accounts/{gateway.AccountId}/usage")).Data;
            return usage.GetProperty("five_hour").ValueKind == JsonValueKind.Object;
        }, because: "the snapshot is saved off the hot path");
        Assert.Equal("passive", usage.GetProperty("source").GetString());
        Assert.Equal(12.5, usage.GetProperty("five_hour").GetProperty("utilization").GetDouble());
        Assert.Equal(40, usage.GetProperty("seven_day").GetProperty("utilization").GetDouble());
        var fiveHourReset = usage.GetProperty("five_hour").GetProperty("resets_at").GetDateTime().ToUniversalTime();
        Assert.InRange(fiveHourReset, started.AddSeconds(3598), DateTime.UtcNow.AddSeconds(3602));
        var extra = (await gateway.AccountAsync(gateway.AccountId)).Extra;
        Assert.Contains("\"codex_7d_used_percent\":40", extra, StringComparison.Ordinal);
    }
}

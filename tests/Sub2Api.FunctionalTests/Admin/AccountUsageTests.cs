using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary><c>GET /admin/accounts/:id/usage</c>: the subscription windows from the usage API, cached a minute per account.</summary>
public sealed class AccountUsageTests
{
    private static int UsageCalls(RelayScenario s, long account) =>
        s.UpstreamRequests(account).Count(r => r.Path == "/api/oauth/usage");

    [Fact]
    public async Task Usage_OAuthAccount_ReadsTheUsageApi_InTheOriginalsShape_AndCachesAMinute()
    {
        await using var s = await RelayScenario.StartAsync();
        var resets = DateTimeOffset.UtcNow.AddHours(2);
        s.Upstream.UsageFiveHourResetsAt = resets;
        var account = await s.AddOAuthAccountAsync("ok");
        var other = await s.AddOAuthAccountAsync("ok", priority: 99);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        await s.FlushUsageAsync();
        var admin = await s.App.AdminAsync();

        var usage = (await admin.GetAsync($"/api/v1/admin/accounts/{account}/usage")).Data;

        Assert.Equal("active", usage.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("error").ValueKind);
        var five = usage.GetProperty("five_hour");
        Assert.Equal(42.5, five.GetProperty("utilization").GetDouble());
        Assert.Equal(resets.ToUnixTimeSeconds(), new DateTimeOffset(five.GetProperty("resets_at").GetDateTime()).ToUnixTimeSeconds());
        Assert.InRange(five.GetProperty("remaining_seconds").GetInt64(), 7100, 7200);
        Assert.Equal(1, five.GetProperty("window_stats").GetProperty("requests").GetInt64());
        Assert.Equal(1800, five.GetProperty("window_stats").GetProperty("tokens").GetInt64());
        Assert.Equal(10.0, usage.GetProperty("seven_day").GetProperty("utilization").GetDouble());
        Assert.Equal(3.0, usage.GetProperty("seven_day_opus").GetProperty("utilization").GetDouble());
        Assert.Equal(7.0, usage.GetProperty("seven_day_sonnet").GetProperty("utilization").GetDouble());

        var call = Assert.Single(s.UpstreamRequests(account), r => r.Path == "/api/oauth/usage");
        Assert.Equal($"Bearer {s.CredentialOf(account)}", call.Header("authorization"));
        Assert.Equal("oauth-2025-04-20", call.Header("anthropic-beta"));

        // A page reload within the minute does not reach the upstream again; another account has its own entry.
        await admin.GetAsync($"/api/v1/admin/accounts/{account}/usage");
        await admin.GetAsync($"/api/v1/admin/accounts/{account}/usage");
        Assert.Equal(1, UsageCalls(s, account));
        Assert.Equal(42.5, (await admin.GetAsync($"/api/v1/admin/accounts/{other}/usage")).Data.GetProperty("five_hour").GetProperty("utilization").GetDouble());
        Assert.Equal(1, UsageCalls(s, other));
    }

    [Fact]
    public async Task Usage_UpstreamError_IsAnsweredAsAnErrorField_AndAlsoCached()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("rl429");
        var admin = await s.App.AdminAsync();

        var usage = (await admin.GetAsync($"/api/v1/admin/accounts/{account}/usage")).Data;
        await admin.GetAsync($"/api/v1/admin/accounts/{account}/usage");

        Assert.Equal(JsonValueKind.Null, usage.GetProperty("five_hour").ValueKind);
        Assert.Equal("usage API returned 429: fake 429 from upstream", usage.GetProperty("error").GetString());
        Assert.DoesNotContain(s.CredentialOf(account), usage.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, UsageCalls(s, account));
    }

    [Fact]
    public async Task Usage_SetupTokenIsEstimated_ApiKeyIsUnsupported_UnknownIs404()
    {
        await using var s = await RelayScenario.StartAsync();
        var admin = await s.App.AdminAsync();
        var setupToken = (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = "setup",
            platform = "anthropic",
            type = "setup-token",
            group_ids = new[] { s.GroupId },
            credentials = new { access_token = "sk-ant-oat-ok-setup" },
        })).Data.GetProperty("id").GetInt64();
        var apiKey = await s.AddApiKeyAccountAsync("ok");

        var usage = (await admin.GetAsync($"/api/v1/admin/accounts/{setupToken}/usage")).Data;
        Assert.Equal("passive", usage.GetProperty("source").GetString());
        Assert.Equal(0d, usage.GetProperty("five_hour").GetProperty("utilization").GetDouble());
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("seven_day").ValueKind);
        Assert.DoesNotContain(s.Upstream.Received, r => r.Path == "/api/oauth/usage");

        var refused = (await admin.GetAsync($"/api/v1/admin/accounts/{apiKey}/usage")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("account type apikey does not support usage query", refused.Message);
        (await admin.GetAsync("/api/v1/admin/accounts/999999/usage")).ShouldFail(HttpStatusCode.NotFound);
    }
}

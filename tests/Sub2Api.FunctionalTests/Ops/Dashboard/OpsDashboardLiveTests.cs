using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Ops.Dashboard;

/// <summary>The live views of the ops dashboard: account availability and concurrency, driven through the relay.</summary>
public sealed class OpsDashboardLiveTests
{
    [Fact]
    public async Task AccountAvailability_ShowsEachStateWithItsEndAndReason()
    {
        await using var scenario = await RelayScenario.StartAsync();
        var limited = await scenario.AddApiKeyAccountAsync("rl429", priority: 1);
        var healthy = await scenario.AddApiKeyAccountAsync("ok", priority: 99);
        var overloaded = await scenario.AddApiKeyAccountAsync("ok", priority: 99);
        var benched = await scenario.AddApiKeyAccountAsync("ok", priority: 99);
        var broken = await scenario.AddApiKeyAccountAsync("ok", priority: 99);
        var paused = await scenario.AddApiKeyAccountAsync("ok", priority: 99);
        var expired = await scenario.AddApiKeyAccountAsync("ok", priority: 99);
        var (key, _, _) = await scenario.AddUserWithKeyAsync();
        var now = DateTime.UtcNow;
        await scenario.UpdateAccountAsync(overloaded, a => a.OverloadUntil = now.AddMinutes(10));
        await scenario.UpdateAccountAsync(benched, a =>
        {
            a.TempUnschedulableUntil = now.AddMinutes(20);
            a.TempUnschedulableReason = "{\"status_code\":503}";
        });
        await scenario.UpdateAccountAsync(broken, a =>
        {
            a.Status = Statuses.Error;
            a.ErrorMessage = "Authentication failed (401): invalid x-api-key";
        });
        await scenario.UpdateAccountAsync(paused, a => a.Schedulable = false);
        await scenario.UpdateAccountAsync(expired, a => a.ExpiresAt = now.AddDays(-1));
        await scenario.App.WithDbAsync(async db =>
        {
            db.OpsErrorLogs.AddRange(UpstreamError(healthy, now.AddMinutes(-30), "older failure"), UpstreamError(healthy, now.AddMinutes(-5), "newest failure"));
            await db.SaveChangesAsync();
        });

        // The preferred account answers 429 (its reset a minute ahead); the request fails over to a healthy one.
        var (status, body) = await scenario.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, scenario.UpstreamCount(limited));

        var admin = await scenario.App.AdminAsync();
        var data = (await admin.GetAsync("/api/v1/admin/ops/account-availability")).Data;

        var accounts = data.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("account_id").GetInt64());
        Assert.Equal(7, accounts.Count);
        var rateLimited = accounts[limited];
        Assert.Equal("rate_limited", rateLimited.GetProperty("state").GetString());
        Assert.Equal("active", rateLimited.GetProperty("status").GetString());
        Assert.True(rateLimited.GetProperty("schedulable").GetBoolean());
        var until = rateLimited.GetProperty("until").GetDateTime().ToUniversalTime();
        Assert.InRange(until, now, now.AddMinutes(6));
        // The 429 itself reaches the ops error log (written in the background) and becomes the account's last error.
        await RelayScenario.WaitUntilAsync(async () =>
        {
            var again = (await admin.GetAsync($"/api/v1/admin/ops/account-availability?account_id={limited}")).Data.GetProperty("accounts")[0];
            return again.GetProperty("last_error_at").ValueKind != JsonValueKind.Null
                && !string.IsNullOrEmpty(again.GetProperty("last_error_message").GetString());
        }, because: "the relayed 429 is the rate-limited account's last error");
        Assert.Equal("available", accounts[healthy].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, accounts[healthy].GetProperty("until").ValueKind);
        Assert.Equal("newest failure", accounts[healthy].GetProperty("last_error_message").GetString());
        Assert.Equal(now.AddMinutes(-5), accounts[healthy].GetProperty("last_error_at").GetDateTime().ToUniversalTime());
        Assert.Equal("overloaded", accounts[overloaded].GetProperty("state").GetString());
        Assert.Equal(now.AddMinutes(10), accounts[overloaded].GetProperty("until").GetDateTime().ToUniversalTime());
        Assert.Equal("temp_unschedulable", accounts[benched].GetProperty("state").GetString());
        Assert.Equal(now.AddMinutes(20), accounts[benched].GetProperty("until").GetDateTime().ToUniversalTime());
        Assert.Equal("{\"status_code\":503}", accounts[benched].GetProperty("reason").GetString());
        Assert.Equal("error", accounts[broken].GetProperty("state").GetString());
        Assert.Equal("error", accounts[broken].GetProperty("status").GetString());
        Assert.Equal("Authentication failed (401): invalid x-api-key", accounts[broken].GetProperty("reason").GetString());
        Assert.Equal("disabled", accounts[paused].GetProperty("state").GetString());
        Assert.False(accounts[paused].GetProperty("schedulable").GetBoolean());
        Assert.Equal("expired", accounts[expired].GetProperty("state").GetString());

        var summary = data.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("available").GetInt32());
        Assert.Equal(1, summary.GetProperty("rate_limited").GetInt32());
        Assert.Equal(1, summary.GetProperty("overloaded").GetInt32());
        Assert.Equal(1, summary.GetProperty("temp_unschedulable").GetInt32());
        Assert.Equal(1, summary.GetProperty("error").GetInt32());
        Assert.Equal(2, summary.GetProperty("disabled").GetInt32()); // the paused and the expired one

        var overview = (await admin.GetAsync("/api/v1/admin/ops/dashboard/overview?time_range=5m")).Data;
        Assert.Equal(7, overview.GetProperty("accounts_total").GetInt32());
        Assert.Equal(1, overview.GetProperty("accounts_available").GetInt32());
        Assert.Equal(1, overview.GetProperty("accounts_rate_limited").GetInt32());
        Assert.Equal(1, overview.GetProperty("accounts_error").GetInt32());

        var one = (await admin.GetAsync($"/api/v1/admin/ops/account-availability?account_id={limited}")).Data;
        Assert.Equal([limited], one.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetInt64()));
        var otherGroup = (await admin.GetAsync($"/api/v1/admin/ops/account-availability?group_id={scenario.GroupId + 1000}")).Data;
        Assert.Empty(otherGroup.GetProperty("accounts").EnumerateArray());
    }

    [Fact]
    public async Task Concurrency_ShowsTheSlotOfARequestInFlight_ForItsAccountAndUser()
    {
        await using var scenario = await RelayScenario.StartAsync();
        var held = await scenario.AddApiKeyAccountAsync("gate", concurrency: 4);
        var (key, userId, keyId) = await scenario.AddUserWithKeyAsync(concurrency: 3);
        // The user view lists users active in the last hour.
        await scenario.App.WithDbAsync(async db =>
        {
            db.UsageLogs.Add(new UsageLog
            {
                UserId = userId, ApiKeyId = keyId, AccountId = held, RequestId = "earlier", Model = "claude-sonnet-4-5",
                CreatedAt = DateTime.UtcNow.AddMinutes(-1),
            });
            await db.SaveChangesAsync();
        });
        var admin = await scenario.App.AdminAsync();

        var inFlight = scenario.SendAsync(key);
        JsonElement account = default;
        await RelayScenario.WaitUntilAsync(async () =>
        {
            var data = (await admin.GetAsync("/api/v1/admin/ops/concurrency")).Data;
            account = data.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("account_id").GetInt64() == held);
            return account.GetProperty("in_use").GetInt32() == 1 && data.GetProperty("total_in_use").GetInt64() == 1;
        }, because: "the held request's slot shows in ops/concurrency");
        Assert.Equal(4, account.GetProperty("max").GetInt32());
        Assert.Equal(0, account.GetProperty("waiting").GetInt32());
        Assert.Equal("anthropic", account.GetProperty("platform").GetString());
        Assert.False(string.IsNullOrEmpty(account.GetProperty("name").GetString()));

        var users = (await admin.GetAsync("/api/v1/admin/ops/user-concurrency")).Data.GetProperty("users").EnumerateArray().ToList();
        var user = Assert.Single(users);
        Assert.Equal(userId, user.GetProperty("user_id").GetInt64());
        Assert.Equal(1, user.GetProperty("in_use").GetInt32());
        Assert.Equal(3, user.GetProperty("max").GetInt32());
        Assert.Equal(0, user.GetProperty("waiting").GetInt32());
        Assert.EndsWith("@example.com", user.GetProperty("email").GetString(), StringComparison.Ordinal);

        var overview = (await admin.GetAsync("/api/v1/admin/ops/dashboard/overview")).Data;
        Assert.Equal(1, overview.GetProperty("concurrency_in_use").GetInt64());

        scenario.Upstream.OpenGate();
        var (status, body) = await inFlight;
        Assert.True(status == HttpStatusCode.OK, body);
        await RelayScenario.WaitUntilAsync(async () =>
            (await admin.GetAsync("/api/v1/admin/ops/concurrency")).Data.GetProperty("total_in_use").GetInt64() == 0,
            because: "the slot is released once the request ends");
    }

    private static OpsErrorLog UpstreamError(long accountId, DateTime at, string message) => new()
    {
        CreatedAt = at,
        Kind = OpsErrorKinds.Upstream,
        Phase = "upstream",
        Type = "ServerError",
        Owner = "provider",
        Severity = "P2",
        StatusCode = 500,
        Platform = Platforms.Anthropic,
        RequestId = Guid.NewGuid().ToString("N"),
        Message = message,
        AccountId = accountId,
    };
}

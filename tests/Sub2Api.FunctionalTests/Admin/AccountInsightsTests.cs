using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// What an admin reads per account: stats and today-stats from usage rows, the models it serves, and the
/// temp-unschedulable rules (an upstream error matching a rule benches the account, fails the request over, is
/// shown by GET and ended by DELETE).
/// </summary>
public sealed class AccountInsightsTests
{
    private const string Accounts = "/api/v1/admin/accounts";

    private static object Rule(int code, string[] keywords, int minutes = 30) =>
        new { error_code = code, keywords, duration_minutes = minutes, description = "quota wording" };

    [Fact]
    public async Task TempUnschedulableRule_MatchingUpstreamError_BenchesAccount_FailsOver_IsShown_AndClearedByDelete()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.BadRequestMessage = "Your organization has exhausted its QUOTA for today";
        var admin = await s.App.AdminAsync();
        var key = $"sk-fake-bad400-{Guid.NewGuid():N}";
        var created = await admin.PostAsync(Accounts, new
        {
            name = "ruled",
            platform = "anthropic",
            type = "apikey",
            priority = 1,
            group_ids = new[] { s.GroupId },
            credentials = new
            {
                api_key = key,
                base_url = s.Upstream.BaseUrl,
                temp_unschedulable_rules = new[] { Rule(500, ["quota"]), Rule(400, ["nothing here", "exhausted its quota"], 45) },
            },
        });
        var ruled = created.Data.GetProperty("id").GetInt64();
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (userKey, _, _) = await s.AddUserWithKeyAsync();

        var before = DateTime.UtcNow;
        var (status, body) = await s.SendAsync(userKey);

        // A plain 400 would be passed through to the client; the rule turns it into a failover instead.
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, s.Upstream.CountFor(key));
        Assert.Equal(1, s.UpstreamCount(good));
        var row = await s.AccountAsync(ruled);
        Assert.NotNull(row.TempUnschedulableUntil);
        Assert.InRange(row.TempUnschedulableUntil!.Value, before.AddMinutes(45).AddSeconds(-2), DateTime.UtcNow.AddMinutes(45).AddSeconds(2));
        Assert.Equal(Statuses.Active, row.Status);

        // Benched: the next request goes straight to the other account.
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(userKey)).Status);
        Assert.Equal(1, s.Upstream.CountFor(key));

        var shown = (await admin.GetAsync($"{Accounts}/{ruled}/temp-unschedulable")).Data;
        Assert.True(shown.GetProperty("active").GetBoolean());
        var state = shown.GetProperty("state");
        Assert.Equal(400, state.GetProperty("status_code").GetInt32());
        Assert.Equal(1, state.GetProperty("rule_index").GetInt32());
        Assert.Equal("exhausted its quota", state.GetProperty("matched_keyword").GetString());
        Assert.Equal(new DateTimeOffset(row.TempUnschedulableUntil.Value).ToUnixTimeSeconds(), state.GetProperty("until_unix").GetInt64());
        Assert.InRange(state.GetProperty("triggered_at_unix").GetInt64(), new DateTimeOffset(before).ToUnixTimeSeconds() - 1,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Contains("exhausted its QUOTA", state.GetProperty("error_message").GetString(), StringComparison.Ordinal);

        // The list and the detail carry the mark too.
        var listed = (await admin.GetAsync(Accounts)).Data.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == ruled);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("temp_unschedulable_until").ValueKind);
        Assert.Contains("matched_keyword", listed.GetProperty("temp_unschedulable_reason").GetString(), StringComparison.Ordinal);

        Assert.Equal("Temp unschedulable cleared", (await admin.DeleteAsync($"{Accounts}/{ruled}/temp-unschedulable")).Data.GetProperty("message").GetString());
        Assert.False((await admin.GetAsync($"{Accounts}/{ruled}/temp-unschedulable")).Data.GetProperty("active").GetBoolean());
        var cleared = await s.AccountAsync(ruled);
        Assert.Null(cleared.TempUnschedulableUntil);
        Assert.Null(cleared.TempUnschedulableReason);

        // Back in service at once: the runtime state was cleared too, so the next request tries it again.
        s.Upstream.Heal("bad400");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(userKey)).Status);
        Assert.Equal(2, s.Upstream.CountFor(key));
    }

    [Fact]
    public async Task TempUnschedulableRule_KeywordMissing_Or401_DoesNotBench()
    {
        await using var s = await RelayScenario.StartAsync();
        var admin = await s.App.AdminAsync();
        async Task<(long Id, string Key)> CreateAsync(string behaviour, object rule)
        {
            var key = $"sk-fake-{behaviour}-{Guid.NewGuid():N}";
            var id = (await admin.PostAsync(Accounts, new
            {
                name = behaviour,
                platform = "anthropic",
                type = "apikey",
                group_ids = new[] { s.GroupId },
                credentials = new { api_key = key, base_url = s.Upstream.BaseUrl, temp_unschedulable_rules = new[] { rule } },
            })).Data.GetProperty("id").GetInt64();
            return (id, key);
        }
        var (bad, _) = await CreateAsync("bad400", Rule(400, ["quota"]));
        var (auth, _) = await CreateAsync("auth401", Rule(401, ["fake"]));
        var (userKey, _, _) = await s.AddUserWithKeyAsync();

        var (status, _) = await s.SendAsync(userKey);
        await s.SendAsync(userKey);

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Null((await s.AccountAsync(bad)).TempUnschedulableUntil);
        // A 401 follows the status rules (the account is marked), never a temp-unschedulable rule.
        var authRow = await s.AccountAsync(auth);
        Assert.Null(authRow.TempUnschedulableUntil);
        Assert.Equal(Statuses.Error, authRow.Status);
    }

    [Theory]
    [InlineData("[{\"error_code\":600,\"keywords\":[\"x\"],\"duration_minutes\":5}]", "error_code")]
    [InlineData("[{\"error_code\":500,\"keywords\":[],\"duration_minutes\":5}]", "keywords")]
    [InlineData("[{\"error_code\":500,\"keywords\":[\"x\"],\"duration_minutes\":0}]", "duration_minutes")]
    [InlineData("{\"error_code\":500}", "must be a list")]
    [InlineData("[\"x\"]", "must be an object")]
    public async Task TempUnschedulableRules_Invalid_AreRefusedOnCreateAndUpdate(string rules, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var body = $"{{\"name\":\"a\",\"platform\":\"anthropic\",\"type\":\"apikey\",\"credentials\":{{\"api_key\":\"sk-x\",\"temp_unschedulable_rules\":{rules}}}}}";
        var refused = (await admin.PostAsync(Accounts, body)).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);

        var id = (await admin.PostAsync(Accounts, new { name = "a", platform = "anthropic", type = "apikey", credentials = new { api_key = "sk-x" } }))
            .Data.GetProperty("id").GetInt64();
        var update = $"{{\"credentials\":{{\"api_key\":\"sk-x\",\"temp_unschedulable_rules\":{rules}}}}}";
        Assert.Contains(expected, (await admin.PutAsync($"{Accounts}/{id}", update)).ShouldFail(HttpStatusCode.BadRequest).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatsAndTodayStats_AggregateTheAccountsUsageRows()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok");
        var other = await s.AddApiKeyAccountAsync("ok");
        var (_, userId, keyId) = await s.AddUserWithKeyAsync();
        var today = DateTime.UtcNow.Date;
        var n = 0;
        UsageLog Row(long accountId, DateTime at, string model, long input, long output, decimal cost, decimal actual, decimal accountRate = 1m) => new()
        {
            UserId = userId,
            ApiKeyId = keyId,
            AccountId = accountId,
            RequestId = $"req-{++n}",
            Model = model,
            InputTokens = input,
            OutputTokens = output,
            CacheCreationTokens = 10,
            CacheReadTokens = 5,
            TotalCost = cost,
            ActualCost = actual,
            AccountRateMultiplier = accountRate,
            DurationMs = 100,
            CreatedAt = at,
        };
        await s.App.WithDbAsync(async db =>
        {
            db.UsageLogs.AddRange(
                Row(account, today.AddHours(1), "claude-sonnet-4-5", 100, 50, 0.5m, 0.75m, 2m),
                Row(account, today.AddMinutes(1), "claude-opus-4-6", 200, 20, 1.25m, 1.25m),
                Row(account, today.AddDays(-2).AddHours(3), "claude-sonnet-4-5", 1000, 10, 3m, 3m),
                Row(account, today.AddDays(-40), "claude-sonnet-4-5", 7, 7, 9m, 9m),
                Row(other, today.AddHours(2), "claude-sonnet-4-5", 9999, 9999, 99m, 99m));
            await db.SaveChangesAsync();
        });
        var admin = await s.App.AdminAsync();

        var todayStats = (await admin.GetAsync($"{Accounts}/{account}/today-stats")).Data;
        Assert.Equal(2, todayStats.GetProperty("requests").GetInt64());
        Assert.Equal(300, todayStats.GetProperty("input_tokens").GetInt64());
        Assert.Equal(70, todayStats.GetProperty("output_tokens").GetInt64());
        Assert.Equal(20, todayStats.GetProperty("cache_creation_tokens").GetInt64());
        Assert.Equal(10, todayStats.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(400, todayStats.GetProperty("tokens").GetInt64());
        Assert.Equal(1.75m, todayStats.GetProperty("standard_cost").GetDecimal());
        Assert.Equal(2.25m, todayStats.GetProperty("cost").GetDecimal()); // 0.5 × 2 + 1.25 × 1
        Assert.Equal(2m, todayStats.GetProperty("actual_cost").GetDecimal());
        Assert.Equal(2m, todayStats.GetProperty("user_cost").GetDecimal());

        var stats = (await admin.GetAsync($"{Accounts}/{account}/stats?days=7")).Data;
        var history = stats.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(7, history.Count);
        Assert.Equal(today.ToString("yyyy-MM-dd"), history[^1].GetProperty("date").GetString());
        Assert.Equal(2, history[^1].GetProperty("requests").GetInt64());
        Assert.Equal(1.75m, history[^1].GetProperty("cost").GetDecimal());
        Assert.Equal(2.25m, history[^1].GetProperty("actual_cost").GetDecimal());
        Assert.Equal(1, history[^3].GetProperty("requests").GetInt64());
        Assert.Equal(1025, history[^3].GetProperty("tokens").GetInt64());
        Assert.Equal(0, history[0].GetProperty("requests").GetInt64());
        var summary = stats.GetProperty("summary");
        Assert.Equal(7, summary.GetProperty("days").GetInt32());
        Assert.Equal(2, summary.GetProperty("actual_days_used").GetInt32());
        Assert.Equal(3, summary.GetProperty("total_requests").GetInt64());
        Assert.Equal(4.75m, summary.GetProperty("total_standard_cost").GetDecimal());
        Assert.Equal(5.25m, summary.GetProperty("total_cost").GetDecimal());
        Assert.Equal(5m, summary.GetProperty("total_user_cost").GetDecimal());
        Assert.Equal(100d, summary.GetProperty("avg_duration_ms").GetDouble());
        Assert.Equal(history[^3].GetProperty("date").GetString(), summary.GetProperty("highest_cost_day").GetProperty("date").GetString());
        Assert.Equal(history[^1].GetProperty("date").GetString(), summary.GetProperty("highest_request_day").GetProperty("date").GetString());
        var models = stats.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["claude-sonnet-4-5", "claude-opus-4-6"], models.Select(m => m.GetProperty("model").GetString()));
        Assert.Equal(2, models[0].GetProperty("requests").GetInt64());

        Assert.Equal(30, (await admin.GetAsync($"{Accounts}/{account}/stats")).Data.GetProperty("history").GetArrayLength());
        (await admin.GetAsync($"{Accounts}/{account}/stats?days=0")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Accounts}/{account}/stats?days=x")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Accounts}/999999/today-stats")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Models_AreTheMappingKeys_OrTheDefaultClaudeList()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var mapped = (await admin.PostAsync(Accounts, new
        {
            name = "mapped",
            platform = "anthropic",
            type = "apikey",
            credentials = new { api_key = "sk-x", model_mapping = new Dictionary<string, string> { ["claude-sonnet-4-5"] = "glm-4.6", ["my-model"] = "x" } },
        })).Data.GetProperty("id").GetInt64();
        var oauth = (await admin.PostAsync(Accounts, new
        {
            name = "oauth",
            platform = "anthropic",
            type = "oauth",
            credentials = new { access_token = "sk-ant-oat-x" },
        })).Data.GetProperty("id").GetInt64();

        var models = (await admin.GetAsync($"{Accounts}/{mapped}/models")).Data.EnumerateArray().ToList();
        Assert.Equal(["claude-sonnet-4-5", "my-model"], models.Select(m => m.GetProperty("id").GetString()).Order());
        Assert.All(models, m => Assert.Equal("model", m.GetProperty("type").GetString()));
        Assert.Equal("my-model", models.Single(m => m.GetProperty("id").GetString() == "my-model").GetProperty("display_name").GetString());

        var defaults = (await admin.GetAsync($"{Accounts}/{oauth}/models")).Data.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("claude-sonnet-4-5-20250929", defaults);
        Assert.True(defaults.Count >= 3);
        (await admin.GetAsync($"{Accounts}/999999/models")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_CarriesCurrentConcurrency_TheSessionWindow_AndTheMarks()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("gate");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var admin = await s.App.AdminAsync();
        async Task<JsonElement> ListedAsync() => (await admin.GetAsync(Accounts)).Data.GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("id").GetInt64() == account);

        Assert.Equal(0, (await ListedAsync()).GetProperty("current_concurrency").GetInt32());
        var pending = s.SendAsync(key);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 1);

        Assert.Equal(1, (await ListedAsync()).GetProperty("current_concurrency").GetInt32());
        Assert.Equal(1, (await admin.GetAsync($"{Accounts}/{account}")).Data.GetProperty("current_concurrency").GetInt32());

        s.Upstream.OpenGate();
        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
        await RelayScenario.WaitUntilAsync(async () => (await ListedAsync()).GetProperty("session_window_status").ValueKind == JsonValueKind.String,
            because: "the 5-hour window the upstream reported is persisted");
        var listed = await ListedAsync();
        Assert.Equal(0, listed.GetProperty("current_concurrency").GetInt32());
        Assert.Equal("allowed", listed.GetProperty("session_window_status").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("session_window_start").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("session_window_end").ValueKind);
        foreach (var mark in new[] { "rate_limited_at", "rate_limit_reset_at", "overload_until", "temp_unschedulable_until", "temp_unschedulable_reason" })
        {
            Assert.Equal(JsonValueKind.Null, listed.GetProperty(mark).ValueKind);
        }
        Assert.Equal("", listed.GetProperty("error_message").GetString());
    }
}

using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Faults;

/// <summary>
/// What every fault test shares: short timeouts (1 s to headers, 1 s of silence), a load of parallel requests, the
/// prices the fake's usage costs, and the three assertions each fault makes — the client's outcome, the billing,
/// and the account's marking.
/// </summary>
internal static class FaultTier
{
    public const int Load = 20;

    /// <summary>Sonnet 4.5: 1000×3e-6 + 500×15e-6 + 150×3.75e-6 + 50×6e-6 + 100×0.3e-6.</summary>
    public const decimal FullCost = 0.0113925m;

    /// <summary>A stream cut after message_start: its input and cache tokens and its output count of 1 (500 → 1 output token).</summary>
    public const decimal CutStreamCost = FullCost - (499 * 15e-6m);

    /// <summary>Both timeouts at 1 s, so a fault shows within a second or two.</summary>
    public static Dictionary<string, string?> Settings(bool realSocket = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:ResponseHeaderTimeout"] = "1",
            ["Gateway:StreamDataIntervalTimeout"] = "1",
        };
        if (realSocket)
        {
            settings[Sub2ApiFactory.UseKestrelSetting] = "true";
        }
        return settings;
    }

    /// <summary><see cref="Load"/> requests at once; every other one streams when <paramref name="mixed"/>.</summary>
    public static Task<(HttpStatusCode Status, string Body)[]> SendLoadAsync(RelayScenario s, string key, bool stream, bool mixed = false) =>
        Task.WhenAll(Enumerable.Range(0, Load).Select(i => s.SendAsync(key, stream: mixed ? i % 2 == 0 : stream)));

    /// <summary>A JSON error in Anthropic's shape: <c>{"type":"error","error":{"type":…,"message":…}}</c>.</summary>
    public static void AssertAnthropicError(HttpStatusCode expectedStatus, string expectedType, (HttpStatusCode Status, string Body) answer)
    {
        Assert.True(answer.Status == expectedStatus, $"{answer.Status}: {answer.Body}");
        using var json = JsonDocument.Parse(answer.Body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    /// <summary>A 200 stream that delivered its start and first delta, then ended with an in-band error of this type.</summary>
    public static void AssertStreamCutWithError(string expectedType, (HttpStatusCode Status, string Body) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Status}: {answer.Body}");
        Assert.StartsWith("event: message_start\n", answer.Body, StringComparison.Ordinal);
        Assert.Contains("part 0", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", answer.Body, StringComparison.Ordinal);
        var last = answer.Body.Split("\n\n").Last(e => e.Length > 0);
        Assert.StartsWith("event: error\ndata: ", last, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(last["event: error\ndata: ".Length..]);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(expectedType, json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    /// <summary>A whole answer: a JSON message, or a stream that ends with message_stop.</summary>
    public static void AssertComplete((HttpStatusCode Status, string Body) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Status}: {answer.Body}");
        if (answer.Body.StartsWith("event:", StringComparison.Ordinal))
        {
            Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("event: error", answer.Body, StringComparison.Ordinal);
            return;
        }
        using var json = JsonDocument.Parse(answer.Body);
        Assert.Equal("message", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(FakeUpstream.OutputTokens, json.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    /// <summary>Exactly <paramref name="rows"/> usage rows, all on <paramref name="accountId"/> at <paramref name="cost"/>, and the balance charged exactly.</summary>
    public static async Task AssertBilledAsync(RelayScenario s, long userId, decimal startBalance, int rows, long accountId = 0,
        decimal cost = FullCost, long outputTokens = FakeUpstream.OutputTokens)
    {
        await s.FlushUsageAsync();
        var usage = await s.UsageRowsAsync();
        Assert.Equal(rows, usage.Count);
        Assert.Equal(rows, usage.Select(r => r.RequestId).Distinct().Count());
        Assert.All(usage, r =>
        {
            Assert.Equal(accountId, r.AccountId);
            Assert.Equal(FakeUpstream.InputTokens, r.InputTokens);
            Assert.Equal(outputTokens, r.OutputTokens);
            Assert.Equal(FakeUpstream.CacheCreationTokens, r.CacheCreationTokens);
            Assert.Equal(FakeUpstream.CacheReadTokens, r.CacheReadTokens);
            Assert.Equal(cost, r.ActualCost);
        });
        Assert.Equal(startBalance - (rows * cost), await s.BalanceAsync(userId));
    }

    /// <summary>
    /// Not marked: a transport fault (no answer, a broken or silent body) says nothing about the account's standing,
    /// so it stays active, with no error, cooldown or rate limit.
    /// </summary>
    public static async Task AssertNotMarkedAsync(RelayScenario s, long accountId)
    {
        var account = await s.AccountAsync(accountId);
        Assert.Equal(Statuses.Active, account.Status);
        Assert.Equal("", account.ErrorMessage);
        Assert.Null(account.RateLimitResetAt);
        Assert.Null(account.OverloadUntil);
        Assert.Null(account.TempUnschedulableUntil);
    }

    /// <summary>No slot left held by the user or the accounts once every request has ended.</summary>
    public static Task AssertSlotsFreedAsync(RelayScenario s, long userId, params long[] accounts) =>
        RelayScenario.WaitUntilAsync(async () =>
        {
            if (await s.SlotsAsync(SlotScopes.User(userId)) != 0)
            {
                return false;
            }
            foreach (var account in accounts)
            {
                if (await s.SlotsAsync(SlotScopes.Account(account)) != 0)
                {
                    return false;
                }
            }
            return true;
        }, TimeSpan.FromSeconds(5), "every slot released");
}

using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Keys of a subscription group spend the subscription's daily/weekly/monthly windows, not the balance: a capped
/// window refuses requests once its usage reaches the cap, and starts over the next day (an injected clock moves
/// the day).
/// </summary>
public sealed class SubscriptionBillingTests
{
    // 10:00 UTC, so "the next day" is a clean 24 h step and today's midnight (UTC windows) is 10 h back.
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

    private sealed record Plan(RelayScenario Scenario, FakeTimeProvider Clock, string Key, long UserId, long SubscriptionId);

    private static async Task<Plan> StartAsync(string behaviour = "ok")
    {
        var clock = new FakeTimeProvider(Start);
        var scenario = await RelayScenario.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await scenario.AddApiKeyAccountAsync(behaviour);
        await scenario.App.WithDbAsync(async db =>
        {
            var group = await db.Groups.SingleAsync(g => g.Id == scenario.GroupId);
            group.SubscriptionType = SubscriptionTypes.Subscription;
            await db.SaveChangesAsync();
        });
        var (key, userId, _) = await scenario.AddUserWithKeyAsync(balance: 5m, concurrency: 5);
        var subscriptionId = await scenario.App.WithDbAsync(async db =>
        {
            var subscription = new UserSubscription
            {
                UserId = userId, GroupId = scenario.GroupId, StartsAt = Start.UtcDateTime, ExpiresAt = Start.UtcDateTime.AddDays(30),
                AssignedAt = Start.UtcDateTime,
            };
            db.UserSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription.Id;
        });
        return new Plan(scenario, clock, key, userId, subscriptionId);
    }

    private static Task SetCapsAsync(Plan plan, decimal? daily, decimal? weekly = null) => plan.Scenario.App.WithDbAsync(async db =>
    {
        var group = await db.Groups.SingleAsync(g => g.Id == plan.Scenario.GroupId);
        group.DailyLimitUsd = daily;
        group.WeeklyLimitUsd = weekly;
        await db.SaveChangesAsync(); // a tracked save: every cached caller is rebuilt on its next request
    });

    private static Task<UserSubscription> SubscriptionAsync(Plan plan) =>
        plan.Scenario.App.WithDbAsync(db => db.UserSubscriptions.AsNoTracking().SingleAsync(s => s.Id == plan.SubscriptionId));

    /// <summary>The relay records a request as its response ends, which may be just after the client has read it.</summary>
    private static Task BilledAsync(Plan plan, int rows) => RelayScenario.WaitUntilAsync(
        async () => (await plan.Scenario.UsageRowsAsync()).Count == rows, because: $"{rows} usage rows written");

    private static async Task<decimal> OneRequestCostAsync(Plan plan)
    {
        var (status, body) = await plan.Scenario.SendAsync(plan.Key);
        Assert.True(status == HttpStatusCode.OK, body);
        await BilledAsync(plan, 1);
        var row = Assert.Single(await plan.Scenario.UsageRowsAsync());
        Assert.Equal(BillingTypes.Subscription, row.BillingType);
        Assert.Equal(plan.SubscriptionId, row.SubscriptionId);
        Assert.True(row.ActualCost > 0);
        return row.ActualCost;
    }

    [Fact]
    public async Task DailyCap_StopsTheUser_ThenTheNextDayServesAgain_WhileTheWeekKeepsCounting()
    {
        var plan = await StartAsync();
        await using var scenario = plan.Scenario;
        var cost = await OneRequestCostAsync(plan);

        // First use started all three windows at today's midnight and charged them.
        var first = await SubscriptionAsync(plan);
        var midnight = Start.UtcDateTime.Date;
        Assert.Equal(midnight, first.DailyWindowStart);
        Assert.Equal(midnight, first.WeeklyWindowStart);
        Assert.Equal(midnight, first.MonthlyWindowStart);
        Assert.Equal(cost, first.DailyUsageUsd);

        // A cap of exactly two requests: the second is admitted (usage below the cap), the third is not.
        await SetCapsAsync(plan, daily: 2 * cost);
        Assert.Equal(HttpStatusCode.OK, (await scenario.SendAsync(plan.Key)).Status);
        await BilledAsync(plan, 2); // its charge counts once recorded (before it is written)
        var (refused, body) = await scenario.SendAsync(plan.Key);
        Assert.Equal((HttpStatusCode)429, refused);
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Contains("limit", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);

        var capped = await SubscriptionAsync(plan);
        Assert.Equal(2 * cost, capped.DailyUsageUsd);
        Assert.Equal(5m, await scenario.BalanceAsync(plan.UserId)); // a subscription key never touches the balance

        // The next day: the daily window has passed, so the request is admitted and starts a new window at that midnight.
        plan.Clock.Advance(TimeSpan.FromDays(1));
        var (nextDay, nextBody) = await scenario.SendAsync(plan.Key);
        Assert.True(nextDay == HttpStatusCode.OK, nextBody);
        await BilledAsync(plan, 3);
        var renewed = await SubscriptionAsync(plan);
        Assert.Equal(midnight.AddDays(1), renewed.DailyWindowStart);
        Assert.Equal(cost, renewed.DailyUsageUsd);
        Assert.Equal(midnight, renewed.WeeklyWindowStart);
        Assert.Equal(3 * cost, renewed.WeeklyUsageUsd);
        Assert.Equal(3 * cost, renewed.MonthlyUsageUsd);
        var rows = await scenario.UsageRowsAsync();
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows.Sum(r => r.ActualCost), renewed.MonthlyUsageUsd); // every request billed once, exactly
    }

    [Fact]
    public async Task WeeklyCap_HoldsAcrossDays_UntilTheWeekHasPassed()
    {
        var plan = await StartAsync();
        await using var scenario = plan.Scenario;
        var cost = await OneRequestCostAsync(plan);
        await SetCapsAsync(plan, daily: null, weekly: cost);

        Assert.Equal((HttpStatusCode)429, (await scenario.SendAsync(plan.Key)).Status);
        plan.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal((HttpStatusCode)429, (await scenario.SendAsync(plan.Key)).Status);
        plan.Clock.Advance(TimeSpan.FromDays(4)); // seven days after the week's midnight start
        Assert.Equal(HttpStatusCode.OK, (await scenario.SendAsync(plan.Key)).Status);
    }

    [Fact]
    public async Task TwoRequestsCrossingTheCapAtOnce_AreBothServedAndBilledExactly_AndTheNextIsRefused()
    {
        var plan = await StartAsync("slow");
        await using var scenario = plan.Scenario;
        var cost = await OneRequestCostAsync(plan);
        // Room for half a request: both concurrent requests are admitted (usage is below the cap when each starts),
        // and the overdraft is bounded by what was in flight — here one request's cost.
        await SetCapsAsync(plan, daily: cost * 1.5m);

        var both = await Task.WhenAll(scenario.SendAsync(plan.Key, stream: true), scenario.SendAsync(plan.Key, stream: true));
        Assert.All(both, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        await BilledAsync(plan, 3);

        var subscription = await SubscriptionAsync(plan);
        var rows = await scenario.UsageRowsAsync();
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows.Sum(r => r.ActualCost), subscription.DailyUsageUsd);
        // The bound: usage was below the cap when both were admitted, so the overdraft is at most what was in flight.
        var inFlight = rows.Skip(1).Sum(r => r.ActualCost);
        Assert.True(subscription.DailyUsageUsd > cost * 1.5m, "both requests were charged past the cap");
        Assert.True(subscription.DailyUsageUsd < cost * 1.5m + inFlight, "overdraft beyond the requests in flight");
        Assert.Equal((HttpStatusCode)429, (await scenario.SendAsync(plan.Key)).Status);
    }

    [Fact]
    public async Task V1Usage_ShowsTheLiveWindows_InTheOriginalsShape()
    {
        var plan = await StartAsync();
        await using var scenario = plan.Scenario;
        var cost = await OneRequestCostAsync(plan);
        await SetCapsAsync(plan, daily: 3 * cost, weekly: 10 * cost);

        async Task<JsonElement> UsageAsync()
        {
            using var client = scenario.Client(plan.Key);
            var response = await client.GetAsync("/v1/usage");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        var usage = await UsageAsync();
        Assert.True(usage.GetProperty("isValid").GetBoolean());
        Assert.Equal("claude", usage.GetProperty("planName").GetString());
        Assert.Equal("USD", usage.GetProperty("unit").GetString());
        Assert.Equal(2 * cost, usage.GetProperty("remaining").GetDecimal()); // the smaller remainder: daily
        var subscription = usage.GetProperty("subscription");
        Assert.Equal(cost, subscription.GetProperty("daily_usage_usd").GetDecimal());
        Assert.Equal(cost, subscription.GetProperty("weekly_usage_usd").GetDecimal());
        Assert.Equal(3 * cost, subscription.GetProperty("daily_limit_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, subscription.GetProperty("monthly_limit_usd").ValueKind);
        Assert.Equal(1, usage.GetProperty("usage").GetProperty("total").GetProperty("requests").GetInt64());

        // Tomorrow the day's window reads empty before any new request.
        plan.Clock.Advance(TimeSpan.FromDays(1));
        usage = await UsageAsync();
        Assert.Equal(0m, usage.GetProperty("subscription").GetProperty("daily_usage_usd").GetDecimal());
        Assert.Equal(cost, usage.GetProperty("subscription").GetProperty("weekly_usage_usd").GetDecimal());
        Assert.Equal(3 * cost, usage.GetProperty("remaining").GetDecimal());
    }

    [Fact]
    public async Task NoSubscription_Is403_AndAnExpiredOne_Is403Invalid()
    {
        var plan = await StartAsync();
        await using var scenario = plan.Scenario;
        var (otherKey, _, _) = await scenario.AddUserWithKeyAsync();
        var (status, body) = await scenario.SendAsync(otherKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("subscription", body, StringComparison.OrdinalIgnoreCase);

        plan.Clock.Advance(TimeSpan.FromDays(31)); // past expires_at, before the sweeper marks it
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.SendAsync(plan.Key)).Status);
    }
}

using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Subscriptions;

public sealed class UserSubscriptionsApiTests
{
    private const string Base = "/api/v1/subscriptions";

    [Fact]
    public async Task OwnList_ShowsEveryStatus_WithoutAdminFields()
    {
        await using var s = new SubscriptionScenario();
        var alice = await s.AddUserAsync("alice@example.com");
        var bob = await s.AddUserAsync("bob@example.com");
        var pro = await s.AddGroupAsync("Pro", daily: 10m);
        var max = await s.AddGroupAsync("Max");
        var team = await s.AddGroupAsync("Team");
        var active = await s.AddSubscriptionAsync(alice, pro, s.Now.AddDays(5));
        var lapsed = await s.AddSubscriptionAsync(alice, max, s.Now.AddDays(-1));
        var suspended = await s.AddSubscriptionAsync(alice, team, s.Now.AddDays(5), Statuses.Suspended);
        await s.AddSubscriptionAsync(bob, pro, s.Now.AddDays(5));
        var user = await s.LoginAsync("alice@example.com", SubscriptionScenario.Password);

        var all = (await user.GetAsync(Base)).Data.EnumerateArray().ToDictionary(x => x.GetProperty("id").GetInt64());

        Assert.Equal([active, lapsed, suspended], all.Keys.Order().ToArray());
        Assert.Equal("active", all[active].GetProperty("status").GetString());
        Assert.Equal("expired", all[lapsed].GetProperty("status").GetString());
        Assert.Equal("suspended", all[suspended].GetProperty("status").GetString());
        Assert.Equal("Pro", all[active].GetProperty("group").GetProperty("name").GetString());
        Assert.Equal(10m, all[active].GetProperty("group").GetProperty("daily_limit_usd").GetDecimal());
        foreach (var adminOnly in new[] { "notes", "assigned_by", "assigned_at", "user" })
        {
            Assert.False(all[active].TryGetProperty(adminOnly, out _), $"{adminOnly} must not reach users");
        }

        var onlyActive = (await user.GetAsync($"{Base}/active")).Data;
        Assert.Equal(active, Assert.Single(onlyActive.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Progress_OwnIsExact_AnotherUsersIs404()
    {
        await using var s = new SubscriptionScenario();
        var alice = await s.AddUserAsync("alice@example.com");
        var bob = await s.AddUserAsync("bob@example.com");
        var pro = await s.AddGroupAsync("Pro", daily: 4m, monthly: 100m);
        var id = await s.AddSubscriptionAsync(alice, pro, s.Now.AddDays(3).AddHours(1), configure: sub =>
        {
            sub.DailyWindowStart = s.Now.AddHours(-25); // passed
            sub.DailyUsageUsd = 3.9m;
            sub.MonthlyWindowStart = s.Now.AddDays(-10);
            sub.MonthlyUsageUsd = 33.333m;
        });
        var bobsId = await s.AddSubscriptionAsync(bob, pro, s.Now.AddDays(3));
        var user = await s.LoginAsync("alice@example.com", SubscriptionScenario.Password);

        var progress = (await user.GetAsync($"{Base}/{id}/progress")).Data;

        Assert.Equal(3, progress.GetProperty("expires_in_days").GetInt32());
        Assert.Equal(0m, progress.GetProperty("daily").GetProperty("used_usd").GetDecimal());
        Assert.Equal(4m, progress.GetProperty("daily").GetProperty("remaining_usd").GetDecimal());
        var monthly = progress.GetProperty("monthly");
        Assert.Equal(33.333m, monthly.GetProperty("used_usd").GetDecimal());
        Assert.Equal(66.667m, monthly.GetProperty("remaining_usd").GetDecimal());
        Assert.Equal(33.33m, monthly.GetProperty("percentage").GetDecimal());
        Assert.Equal(20 * 86400, monthly.GetProperty("resets_in_seconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("weekly").GetProperty("limit_usd").ValueKind);

        (await user.GetAsync($"{Base}/{bobsId}/progress")).ShouldFail(HttpStatusCode.NotFound);
        (await user.GetAsync($"{Base}/99999/progress")).ShouldFail(HttpStatusCode.NotFound);
        (await user.GetAsync($"{Base}/abc/progress")).ShouldFail(HttpStatusCode.BadRequest);

        var all = (await user.GetAsync($"{Base}/progress")).Data;
        var entry = Assert.Single(all.EnumerateArray());
        Assert.Equal(id, entry.GetProperty("subscription").GetProperty("id").GetInt64());
        Assert.Equal(33.333m, entry.GetProperty("progress").GetProperty("monthly").GetProperty("used_usd").GetDecimal());
    }

    [Fact]
    public async Task Summary_CountsActiveSubscriptions()
    {
        await using var s = new SubscriptionScenario();
        var alice = await s.AddUserAsync("alice@example.com");
        var pro = await s.AddGroupAsync("Pro", daily: 10m);
        var max = await s.AddGroupAsync("Max", monthly: 200m);
        await s.AddSubscriptionAsync(alice, pro, s.Now.AddDays(5), configure: sub =>
        {
            sub.MonthlyWindowStart = s.Now.AddDays(-1);
            sub.MonthlyUsageUsd = 1.25m;
        });
        await s.AddSubscriptionAsync(alice, max, s.Now.AddDays(9), configure: sub =>
        {
            sub.MonthlyWindowStart = s.Now.AddDays(-2);
            sub.MonthlyUsageUsd = 0.0000000001m;
        });
        await s.AddSubscriptionAsync(alice, await s.AddGroupAsync("Gone"), s.Now.AddDays(-1));
        var user = await s.LoginAsync("alice@example.com", SubscriptionScenario.Password);

        var summary = (await user.GetAsync($"{Base}/summary")).Data;

        Assert.Equal(2, summary.GetProperty("active_count").GetInt32());
        Assert.Equal(1.2500000001m, summary.GetProperty("total_used_usd").GetDecimal());
        var items = summary.GetProperty("subscriptions").EnumerateArray().ToDictionary(i => i.GetProperty("group_name").GetString()!);
        Assert.Equal(10m, items["Pro"].GetProperty("daily_limit_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, items["Pro"].GetProperty("monthly_limit_usd").ValueKind);
        Assert.Equal(5, items["Pro"].GetProperty("days_remaining").GetInt32());
        Assert.Equal(200m, items["Max"].GetProperty("monthly_limit_usd").GetDecimal());
    }

    [Fact]
    public async Task UserRoutes_NeedALogin()
    {
        await using var s = new SubscriptionScenario();
        foreach (var path in new[] { Base, $"{Base}/active", $"{Base}/progress", $"{Base}/summary", $"{Base}/1/progress" })
        {
            (await s.Anonymous().GetAsync(path)).ShouldFail(HttpStatusCode.Unauthorized);
        }
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Subscriptions;

public sealed class AdminSubscriptionsApiTests
{
    private const string Base = "/api/v1/admin/subscriptions";

    [Fact]
    public async Task Assign_DefaultsToGroupValidity_AndAnswersTheAdminShape()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com", "alice");
        var groupId = await s.AddGroupAsync("Pro", daily: 10m, weekly: 50m, defaultValidityDays: 14);
        var admin = await s.AdminAsync();

        var sub = (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, notes = "paid by invoice 7" })).Data;

        Assert.Equal(userId, sub.GetProperty("user_id").GetInt64());
        Assert.Equal(groupId, sub.GetProperty("group_id").GetInt64());
        Assert.Equal("active", sub.GetProperty("status").GetString());
        Assert.Equal(s.Now, sub.GetProperty("starts_at").GetDateTime());
        Assert.Equal(s.Now.AddDays(14), sub.GetProperty("expires_at").GetDateTime());
        Assert.Equal(await s.AdminIdAsync(), sub.GetProperty("assigned_by").GetInt64());
        Assert.Equal(s.Now, sub.GetProperty("assigned_at").GetDateTime());
        Assert.Equal("paid by invoice 7", sub.GetProperty("notes").GetString());
        Assert.Equal(JsonValueKind.Null, sub.GetProperty("daily_window_start").ValueKind);
        Assert.Equal(0m, sub.GetProperty("daily_usage_usd").GetDecimal());
        Assert.Equal("alice@example.com", sub.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal("alice", sub.GetProperty("user").GetProperty("username").GetString());
        var group = sub.GetProperty("group");
        Assert.Equal("Pro", group.GetProperty("name").GetString());
        Assert.Equal("anthropic", group.GetProperty("platform").GetString());
        Assert.Equal(10m, group.GetProperty("daily_limit_usd").GetDecimal());
        Assert.Equal(50m, group.GetProperty("weekly_limit_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, group.GetProperty("monthly_limit_usd").ValueKind);

        var id = sub.GetProperty("id").GetInt64();
        var fetched = (await admin.GetAsync($"{Base}/{id}")).Data;
        Assert.Equal(s.Now.AddDays(14), fetched.GetProperty("expires_at").GetDateTime());
        var listed = (await admin.GetAsync(Base)).Data;
        Assert.Equal(1, listed.GetProperty("total").GetInt64());
        Assert.Equal(id, listed.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AssignTwice_ExtendsFromTheCurrentExpiry()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro", daily: 10m);
        var admin = await s.AdminAsync();

        var first = (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, validity_days = 10 })).Data;
        s.Clock.Advance(TimeSpan.FromDays(3));
        admin = await s.AdminAsync(); // access tokens last hours, not days
        var second = (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, validity_days = 5 })).Data;

        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.Equal(SubscriptionScenario.Start.AddDays(15), second.GetProperty("expires_at").GetDateTime());
        Assert.Equal(SubscriptionScenario.Start, second.GetProperty("starts_at").GetDateTime());
        Assert.Equal(1, await s.WithDbAsync(db => db.UserSubscriptions.CountAsync()));
    }

    [Fact]
    public async Task AssignAfterExpiry_StartsFreshWithEmptyWindows()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro", daily: 10m);
        var id = await s.AddSubscriptionAsync(userId, groupId, s.Now.AddDays(-2), Statuses.Expired, sub =>
        {
            sub.DailyWindowStart = sub.WeeklyWindowStart = sub.MonthlyWindowStart = s.Now.AddDays(-3);
            sub.DailyUsageUsd = 4m;
            sub.WeeklyUsageUsd = 5m;
            sub.MonthlyUsageUsd = 6m;
        });
        var admin = await s.AdminAsync();

        var sub = (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, validity_days = 7 })).Data;

        Assert.Equal(id, sub.GetProperty("id").GetInt64());
        Assert.Equal("active", sub.GetProperty("status").GetString());
        Assert.Equal(s.Now, sub.GetProperty("starts_at").GetDateTime());
        Assert.Equal(s.Now.AddDays(7), sub.GetProperty("expires_at").GetDateTime());
        var stored = await s.WithDbAsync(db => db.UserSubscriptions.SingleAsync());
        Assert.Equal(0m, stored.MonthlyUsageUsd);
        Assert.Null(stored.MonthlyWindowStart);
    }

    [Fact]
    public async Task Assign_BadInput_Is4xxWithAClearMessage()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro");
        var standard = await s.AddGroupAsync("Standard", type: SubscriptionTypes.Standard);
        var admin = await s.AdminAsync();

        Assert.Contains("user_id", (await admin.PostAsync($"{Base}/assign", new { group_id = groupId })).ShouldFail(HttpStatusCode.BadRequest).Message);
        Assert.Contains("group_id", (await admin.PostAsync($"{Base}/assign", new { user_id = userId })).ShouldFail(HttpStatusCode.BadRequest).Message);
        Assert.Contains("validity_days", (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, validity_days = 0 }))
            .ShouldFail(HttpStatusCode.BadRequest).Message);
        (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, validity_days = 36501 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, notes = new string('n', 2001) })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/assign", """{"user_id":"abc","group_id":1}""")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/assign", """{"user_id":1,"group_id":1,"validity_days":7.9e28}""")).ShouldFail(HttpStatusCode.BadRequest);
        var notSubscription = (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = standard })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("GROUP_NOT_SUBSCRIPTION", notSubscription.Body.GetProperty("reason").GetString());
        (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = 99999 })).ShouldFail(HttpStatusCode.NotFound);
        var noUser = (await admin.PostAsync($"{Base}/assign", new { user_id = 99999, group_id = groupId })).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal("USER_NOT_FOUND", noUser.Body.GetProperty("reason").GetString());
        Assert.Equal(0, await s.WithDbAsync(db => db.UserSubscriptions.CountAsync()));
    }

    [Fact]
    public async Task Assign_RepeatedMaximumValidity_StopsAtTheExpiryBound()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro");
        await s.AddSubscriptionAsync(userId, groupId, new DateTime(8950, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var admin = await s.AdminAsync();

        (await admin.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId, validity_days = 36500 })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task BulkAssign_ReportsEachUser()
    {
        await using var s = new SubscriptionScenario();
        var alice = await s.AddUserAsync("alice@example.com");
        var bob = await s.AddUserAsync("bob@example.com");
        var groupId = await s.AddGroupAsync("Pro", monthly: 100m);
        await s.AddSubscriptionAsync(bob, groupId, s.Now.AddDays(3));
        var admin = await s.AdminAsync();

        var result = (await admin.PostAsync($"{Base}/bulk-assign",
            new { user_ids = new[] { alice, bob, 99999L, alice }, group_id = groupId, validity_days = 10, notes = "batch" })).Data;

        Assert.Equal(2, result.GetProperty("success_count").GetInt32());
        Assert.Equal(1, result.GetProperty("created_count").GetInt32());
        Assert.Equal(1, result.GetProperty("reused_count").GetInt32());
        Assert.Equal(1, result.GetProperty("failed_count").GetInt32());
        Assert.Equal(2, result.GetProperty("subscriptions").GetArrayLength());
        Assert.Contains("user 99999", result.GetProperty("errors")[0].GetString());
        var statuses = result.GetProperty("statuses");
        Assert.Equal("created", statuses.GetProperty(alice.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString());
        Assert.Equal("reused", statuses.GetProperty(bob.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString());
        Assert.Equal("failed", statuses.GetProperty("99999").GetString());
        var bobs = await s.WithDbAsync(db => db.UserSubscriptions.SingleAsync(x => x.UserId == bob));
        Assert.Equal(s.Now.AddDays(13), bobs.ExpiresAt);

        (await admin.PostAsync($"{Base}/bulk-assign", new { user_ids = Array.Empty<long>(), group_id = groupId })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/bulk-assign", new { user_ids = Enumerable.Range(1, 1001).ToArray(), group_id = groupId }))
            .ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/bulk-assign", new { user_ids = new[] { alice }, group_id = 99999 })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync($"{Base}/bulk-assign", new { user_ids = new[] { alice } })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Extend_MovesExpiryBothWays_AndRefusesThePast()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro");
        var id = await s.AddSubscriptionAsync(userId, groupId, s.Now.AddDays(10));
        var expired = await s.AddSubscriptionAsync(userId, await s.AddGroupAsync("Old"), s.Now.AddDays(-1), Statuses.Expired);
        var admin = await s.AdminAsync();

        Assert.Equal(s.Now.AddDays(15), (await admin.PostAsync($"{Base}/{id}/extend", new { days = 5 })).Data.GetProperty("expires_at").GetDateTime());
        Assert.Equal(s.Now.AddDays(12), (await admin.PostAsync($"{Base}/{id}/extend", new { days = -3 })).Data.GetProperty("expires_at").GetDateTime());
        var past = (await admin.PostAsync($"{Base}/{id}/extend", new { days = -12 })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("past", past.Message);
        Assert.Contains("0", (await admin.PostAsync($"{Base}/{id}/extend", new { days = 0 })).ShouldFail(HttpStatusCode.BadRequest).Message);
        (await admin.PostAsync($"{Base}/{id}/extend", new { days = 36501 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/{id}/extend", new { days = -36501 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/{id}/extend", new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Base}/99999/extend", new { days = 1 })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync($"{Base}/abc/extend", new { days = 1 })).ShouldFail(HttpStatusCode.BadRequest);

        var revived = (await admin.PostAsync($"{Base}/{expired}/extend", new { days = 30 })).Data;
        Assert.Equal("active", revived.GetProperty("status").GetString());
        Assert.Equal(s.Now.AddDays(29), revived.GetProperty("expires_at").GetDateTime());
    }

    [Fact]
    public async Task Revoke_HidesTheSubscriptionEverywhere()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro");
        var id = await s.AddSubscriptionAsync(userId, groupId, s.Now.AddDays(10));
        var admin = await s.AdminAsync();
        var user = await s.LoginAsync("alice@example.com", SubscriptionScenario.Password);
        Assert.Equal(1, (await user.GetAsync("/api/v1/subscriptions")).Data.GetArrayLength());

        _ = (await admin.DeleteAsync($"{Base}/{id}")).Data;

        (await admin.GetAsync($"{Base}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Base}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal(0, (await admin.GetAsync(Base)).Data.GetProperty("total").GetInt64());
        Assert.Equal(0, (await user.GetAsync("/api/v1/subscriptions")).Data.GetArrayLength());
        (await user.GetAsync($"/api/v1/subscriptions/{id}/progress")).ShouldFail(HttpStatusCode.NotFound);
        Assert.NotNull(await s.WithDbAsync(db => db.UserSubscriptions.IgnoreQueryFilters().Where(x => x.Id == id).Select(x => x.DeletedAt).SingleAsync()));
    }

    [Fact]
    public async Task Progress_IsExact_AndAPassedWindowShowsZero()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro", daily: 10m, weekly: 50m);
        var id = await s.AddSubscriptionAsync(userId, groupId, s.Now.AddDays(20).AddHours(5), configure: sub =>
        {
            sub.DailyWindowStart = s.Now.AddHours(-2);
            sub.DailyUsageUsd = 2.5m;
            sub.WeeklyWindowStart = s.Now.AddDays(-8); // passed: a 7-day window
            sub.WeeklyUsageUsd = 7m;
            sub.MonthlyWindowStart = s.Now.AddDays(-1);
            sub.MonthlyUsageUsd = 12.3456789012m;
        });
        var admin = await s.AdminAsync();

        var progress = (await admin.GetAsync($"{Base}/{id}/progress")).Data;

        Assert.Equal("Pro", progress.GetProperty("group_name").GetString());
        Assert.Equal(20, progress.GetProperty("expires_in_days").GetInt32());
        var daily = progress.GetProperty("daily");
        Assert.Equal(10m, daily.GetProperty("limit_usd").GetDecimal());
        Assert.Equal(2.5m, daily.GetProperty("used_usd").GetDecimal());
        Assert.Equal(7.5m, daily.GetProperty("remaining_usd").GetDecimal());
        Assert.Equal(25m, daily.GetProperty("percentage").GetDecimal());
        Assert.Equal(s.Now.AddHours(-2), daily.GetProperty("window_start").GetDateTime());
        Assert.Equal(s.Now.AddHours(22), daily.GetProperty("resets_at").GetDateTime());
        Assert.Equal(22 * 3600, daily.GetProperty("resets_in_seconds").GetInt64());
        var weekly = progress.GetProperty("weekly");
        Assert.Equal(0m, weekly.GetProperty("used_usd").GetDecimal());
        Assert.Equal(50m, weekly.GetProperty("remaining_usd").GetDecimal());
        Assert.Equal(0m, weekly.GetProperty("percentage").GetDecimal());
        Assert.Equal(JsonValueKind.Null, weekly.GetProperty("window_start").ValueKind);
        Assert.Equal(JsonValueKind.Null, weekly.GetProperty("resets_in_seconds").ValueKind);
        var monthly = progress.GetProperty("monthly");
        Assert.Equal(JsonValueKind.Null, monthly.GetProperty("limit_usd").ValueKind);
        Assert.Equal(JsonValueKind.Null, monthly.GetProperty("remaining_usd").ValueKind);
        Assert.Equal(12.3456789012m, monthly.GetProperty("used_usd").GetDecimal());
        Assert.Equal(0m, monthly.GetProperty("percentage").GetDecimal());

        var row = (await admin.GetAsync($"{Base}/{id}")).Data;
        Assert.Equal(2.5m, row.GetProperty("daily_usage_usd").GetDecimal());
        Assert.Equal(0m, row.GetProperty("weekly_usage_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("weekly_window_start").ValueKind);
        Assert.Equal(12.3456789012m, row.GetProperty("monthly_usage_usd").GetDecimal());

        // Three hours on, the daily window (started two hours before) has passed too.
        s.Clock.Advance(TimeSpan.FromHours(23));
        admin = await s.AdminAsync();
        var later = (await admin.GetAsync($"{Base}/{id}/progress")).Data;
        Assert.Equal(0m, later.GetProperty("daily").GetProperty("used_usd").GetDecimal());
        Assert.Equal(12.3456789012m, later.GetProperty("monthly").GetProperty("used_usd").GetDecimal());
        (await admin.GetAsync($"{Base}/99999/progress")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_FiltersByUserGroupStatusAndSearch()
    {
        await using var s = new SubscriptionScenario();
        var alice = await s.AddUserAsync("alice@example.com");
        var bob = await s.AddUserAsync("bob@example.com");
        var pro = await s.AddGroupAsync("Pro");
        var max = await s.AddGroupAsync("Max");
        var active = await s.AddSubscriptionAsync(alice, pro, s.Now.AddDays(5));
        var lapsed = await s.AddSubscriptionAsync(alice, max, s.Now.AddMinutes(-1)); // still "active" in the row
        var suspended = await s.AddSubscriptionAsync(bob, pro, s.Now.AddDays(5), Statuses.Suspended);
        var admin = await s.AdminAsync();

        async Task<long[]> Ids(string query) =>
            (await admin.GetAsync($"{Base}?{query}")).Data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order().ToArray();

        Assert.Equal([active, lapsed, suspended], await Ids(""));
        Assert.Equal([active], await Ids("status=active"));
        Assert.Equal([lapsed], await Ids("status=expired"));
        Assert.Equal([suspended], await Ids("status=suspended"));
        Assert.Equal([active, lapsed], await Ids($"user_id={alice}"));
        Assert.Equal([active, suspended], await Ids($"group_id={pro}"));
        Assert.Equal([suspended], await Ids("search=BOB@"));
        Assert.Equal([lapsed], await Ids("search=max"));
        Assert.Equal([active], await Ids("page=2&page_size=2")); // newest first
        var lapsedRow = (await admin.GetAsync($"{Base}/{lapsed}")).Data;
        Assert.Equal("expired", lapsedRow.GetProperty("status").GetString());
        (await admin.GetAsync($"{Base}?status=gone")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Base}?user_id=abc")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Base}?page=0")).ShouldFail(HttpStatusCode.BadRequest);

        var byGroup = (await admin.GetAsync($"/api/v1/admin/groups/{pro}/subscriptions")).Data;
        Assert.Equal(2, byGroup.GetProperty("total").GetInt64());
        var byUser = (await admin.GetAsync($"/api/v1/admin/users/{alice}/subscriptions?page_size=1")).Data;
        Assert.Equal(2, byUser.GetProperty("total").GetInt64());
        Assert.Equal(1, byUser.GetProperty("items").GetArrayLength());
        Assert.Equal(2, byUser.GetProperty("pages").GetInt32());
        (await admin.GetAsync("/api/v1/admin/groups/99999/subscriptions")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/admin/users/99999/subscriptions")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/admin/users/abc/subscriptions")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminRoutes_UserIs403_AnonymousIs401()
    {
        await using var s = new SubscriptionScenario();
        var userId = await s.AddUserAsync("alice@example.com");
        var groupId = await s.AddGroupAsync("Pro");
        var id = await s.AddSubscriptionAsync(userId, groupId, s.Now.AddDays(10));
        var user = await s.LoginAsync("alice@example.com", SubscriptionScenario.Password);

        (await user.GetAsync(Base)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{Base}/{id}")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{Base}/{id}/progress")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Base}/assign", new { user_id = userId, group_id = groupId })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Base}/bulk-assign", new { user_ids = new[] { userId }, group_id = groupId })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Base}/{id}/extend", new { days = 5 })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.DeleteAsync($"{Base}/{id}")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"/api/v1/admin/groups/{groupId}/subscriptions")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"/api/v1/admin/users/{userId}/subscriptions")).ShouldFail(HttpStatusCode.Forbidden);
        (await s.Anonymous().GetAsync(Base)).ShouldFail(HttpStatusCode.Unauthorized);
        Assert.Equal(s.Now.AddDays(10), await s.WithDbAsync(db => db.UserSubscriptions.Select(x => x.ExpiresAt).SingleAsync()));
    }
}

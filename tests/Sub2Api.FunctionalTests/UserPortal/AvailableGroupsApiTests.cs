using System.Net;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.UserPortal;

public sealed class AvailableGroupsApiTests
{
    [Fact]
    public async Task Available_ListsOnlyBindableGroupsWithUserRate()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var open = await app.AddGroupAsync("open", g =>
        {
            g.RateMultiplier = 1.5m;
            g.Description = "everyone";
            g.DailyLimitUsd = 1.25m;
            g.SortOrder = 2;
        });
        var allowed = await app.AddGroupAsync("allowed", g =>
        {
            g.IsExclusive = true;
            g.SortOrder = 1;
        });
        _ = await app.AddGroupAsync("exclusive", g => g.IsExclusive = true);
        _ = await app.AddGroupAsync("disabled", g => g.Status = Statuses.Disabled);
        var subscribed = await app.AddGroupAsync("subscribed", g => g.SubscriptionType = SubscriptionTypes.Subscription);
        var lapsed = await app.AddGroupAsync("lapsed", g => g.SubscriptionType = SubscriptionTypes.Subscription);
        var suspended = await app.AddGroupAsync("suspended", g => g.SubscriptionType = SubscriptionTypes.Subscription);
        await app.AddSubscriptionAsync(userId, subscribed, DateTime.UtcNow.AddDays(10));
        await app.AddSubscriptionAsync(userId, lapsed, DateTime.UtcNow.AddDays(-1));
        await app.AddSubscriptionAsync(userId, suspended, DateTime.UtcNow.AddDays(10), Statuses.Suspended);
        await app.WithDbAsync(db =>
        {
            db.UserAllowedGroups.Add(new UserAllowedGroup { UserId = userId, GroupId = allowed });
            db.UserGroupRateMultipliers.Add(new UserGroupRateMultiplier { UserId = userId, GroupId = open, Rate = 0.123456789m });
            return db.SaveChangesAsync();
        });

        var groups = (await user.GetAsync("/api/v1/groups/available")).Data.EnumerateArray().ToList();

        Assert.Equal(["subscribed", "allowed", "open"], groups.Select(g => g.GetProperty("name").GetString()));
        var openDto = groups.Single(g => g.GetProperty("id").GetInt64() == open);
        Assert.Equal(0.123456789m, openDto.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal("everyone", openDto.GetProperty("description").GetString());
        Assert.Equal("anthropic", openDto.GetProperty("platform").GetString());
        Assert.Equal("standard", openDto.GetProperty("subscription_type").GetString());
        Assert.False(openDto.GetProperty("is_exclusive").GetBoolean());
        Assert.Equal(1.25m, openDto.GetProperty("daily_limit_usd").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, openDto.GetProperty("weekly_limit_usd").ValueKind);
        Assert.Equal(1m, groups.Single(g => g.GetProperty("id").GetInt64() == allowed).GetProperty("rate_multiplier").GetDecimal());
        Assert.True(groups.Single(g => g.GetProperty("id").GetInt64() == allowed).GetProperty("is_exclusive").GetBoolean());
    }

    [Fact]
    public async Task Available_OtherUsersGrantsDoNotLeak()
    {
        await using var app = new Sub2ApiFactory();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (bob, _) = await app.AddUserAsync("bob@example.com");
        var vip = await app.AddGroupAsync("vip", g => g.IsExclusive = true);
        var sub = await app.AddGroupAsync("sub", g => g.SubscriptionType = SubscriptionTypes.Subscription);
        await app.AddSubscriptionAsync(aliceId, sub, DateTime.UtcNow.AddDays(10));
        await app.WithDbAsync(db =>
        {
            db.UserAllowedGroups.Add(new UserAllowedGroup { UserId = aliceId, GroupId = vip });
            return db.SaveChangesAsync();
        });

        var groups = (await bob.GetAsync("/api/v1/groups/available")).Data;
        Assert.Equal(0, groups.GetArrayLength());
    }

    [Fact]
    public async Task Available_WithoutToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().GetAsync("/api/v1/groups/available")).ShouldFail(HttpStatusCode.Unauthorized);
    }
}

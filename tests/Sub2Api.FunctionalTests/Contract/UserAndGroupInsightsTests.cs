using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Contract;

public sealed class UserAndGroupInsightsTests
{
    [Fact]
    public async Task UserApiKeys_PagedAndMasked_OnlyThatUsersKeys()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        await app.AddKeyAsync(aliceId, "one");
        await app.AddKeyAsync(aliceId, "two");
        await app.AddKeyAsync(aliceId, "three");
        await app.AddKeyAsync(bobId, "bobs");

        var page = (await admin.GetAsync($"/api/v1/admin/users/{aliceId}/api-keys?page_size=2")).Data;

        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(2, page.GetProperty("pages").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, k => Assert.Equal(aliceId, k.GetProperty("user_id").GetInt64()));
        Assert.All(items, k => Assert.Contains("…", k.GetProperty("key").GetString()));
        Assert.All(items, k => Assert.False(k.TryGetProperty("key_hash", out _)));
    }

    [Fact]
    public async Task UserApiKeys_And_Usage_Errors()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.AddUserAsync("alice@example.com");

        (await admin.GetAsync("/api/v1/admin/users/999999/api-keys")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/admin/users/999999/usage")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/admin/users/abc/api-keys")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"/api/v1/admin/users/{userId}/usage?period=decade")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"/api/v1/admin/users/{userId}/api-keys?page=0")).ShouldFail(HttpStatusCode.BadRequest);
        (await user.GetAsync($"/api/v1/admin/users/{userId}/api-keys")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"/api/v1/admin/users/{userId}/usage")).ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UserUsage_SumsThePeriod_InTheOriginalsShape()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("alice@example.com");
        var (_, otherId) = await app.AddUserAsync("bob@example.com");
        var key = await app.AddKeyAsync(userId);
        var otherKey = await app.AddKeyAsync(otherId);
        var now = DateTime.UtcNow;
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, now.AddMinutes(-5), totalCost: 1.5m, actualCost: 1.2m, input: 10, output: 5, durationMs: 100),
            PortalArrange.Usage(userId, key, now.AddDays(-3), totalCost: 2m, actualCost: 2m, input: 1, durationMs: 300),
            PortalArrange.Usage(userId, key, now.AddDays(-60), totalCost: 100m, actualCost: 100m),
            PortalArrange.Usage(otherId, otherKey, now.AddMinutes(-1), totalCost: 7m, actualCost: 7m));

        var month = (await admin.GetAsync($"/api/v1/admin/users/{userId}/usage")).Data;
        Assert.Equal("month", month.GetProperty("period").GetString());
        Assert.Equal(2, month.GetProperty("total_requests").GetInt64());
        Assert.Equal(3.5m, month.GetProperty("total_cost").GetDecimal());
        Assert.Equal(3.2m, month.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(16, month.GetProperty("total_tokens").GetInt64());
        Assert.Equal(200d, month.GetProperty("avg_duration_ms").GetDouble());

        var today = (await admin.GetAsync($"/api/v1/admin/users/{userId}/usage?period=today")).Data;
        Assert.Equal(1, today.GetProperty("total_requests").GetInt64());
    }

    [Fact]
    public async Task UserRows_CarryCurrentConcurrency_FromTheLiveSlots()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("alice@example.com");
        var slots = app.Services.GetRequiredService<IConcurrencySlots>();
        Assert.True(await slots.TryAcquireAsync(SlotScopes.User(userId), "req-1", 5, CancellationToken.None));
        Assert.True(await slots.TryAcquireAsync(SlotScopes.User(userId), "req-2", 5, CancellationToken.None));

        var listed = (await admin.GetAsync("/api/v1/admin/users")).Data.GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("id").GetInt64() == userId);
        Assert.Equal(2, listed.GetProperty("current_concurrency").GetInt32());
        var one = (await admin.GetAsync($"/api/v1/admin/users/{userId}")).Data;
        Assert.Equal(2, one.GetProperty("current_concurrency").GetInt32());

        await slots.ReleaseAsync(SlotScopes.User(userId), "req-1");
        Assert.Equal(1, (await admin.GetAsync($"/api/v1/admin/users/{userId}")).Data.GetProperty("current_concurrency").GetInt32());
    }

    [Fact]
    public async Task GroupStats_CountKeysAccountsUsersAndUsage()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var groupId = await app.AddGroupAsync("team");
        var otherGroup = await app.AddGroupAsync("other");
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var k1 = await BindAsync(app, await app.AddKeyAsync(aliceId), groupId);
        var k2 = await BindAsync(app, await app.AddKeyAsync(aliceId), groupId, Statuses.Disabled);
        await BindAsync(app, await app.AddKeyAsync(bobId), groupId);
        await BindAsync(app, await app.AddKeyAsync(bobId), otherGroup);
        await app.WithDbAsync(async db =>
        {
            var account = new Account { Name = "a1", Platform = Platforms.Anthropic, Type = AccountTypes.OAuth };
            account.Groups.Add(new AccountGroup { GroupId = groupId });
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
        });
        var today = PortalArrange.Usage(aliceId, k1, DateTime.UtcNow.AddMinutes(-1), totalCost: 2m, actualCost: 1m);
        today.GroupId = groupId;
        var old = PortalArrange.Usage(aliceId, k2, DateTime.UtcNow.AddDays(-40), totalCost: 5m, actualCost: 5m);
        old.GroupId = groupId;
        var elsewhere = PortalArrange.Usage(bobId, k1, DateTime.UtcNow, totalCost: 9m, actualCost: 9m);
        elsewhere.GroupId = otherGroup;
        await app.AddUsageAsync(today, old, elsewhere);

        var stats = (await admin.GetAsync($"/api/v1/admin/groups/{groupId}/stats")).Data;

        Assert.Equal(3, stats.GetProperty("total_api_keys").GetInt64());
        Assert.Equal(2, stats.GetProperty("active_api_keys").GetInt64());
        Assert.Equal(2, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(7m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(6m, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(1, stats.GetProperty("account_count").GetInt64());
        Assert.Equal(2, stats.GetProperty("user_count").GetInt64());
        Assert.Equal(1, stats.GetProperty("today_requests").GetInt64());
        Assert.Equal(2m, stats.GetProperty("today_cost").GetDecimal());

        var keys = (await admin.GetAsync($"/api/v1/admin/groups/{groupId}/api-keys?page_size=2")).Data;
        Assert.Equal(3, keys.GetProperty("total").GetInt64());
        Assert.All(keys.GetProperty("items").EnumerateArray(), k => Assert.Equal(groupId, k.GetProperty("group_id").GetInt64()));
        Assert.Equal("team", keys.GetProperty("items")[0].GetProperty("group").GetProperty("name").GetString());
    }

    [Fact]
    public async Task GroupStatsAndKeys_Errors()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("alice@example.com");
        var groupId = await app.AddGroupAsync("team");

        (await admin.GetAsync("/api/v1/admin/groups/424242/stats")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/admin/groups/424242/api-keys")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/admin/groups/x/stats")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"/api/v1/admin/groups/{groupId}/api-keys?page_size=abc")).ShouldFail(HttpStatusCode.BadRequest);
        (await user.GetAsync($"/api/v1/admin/groups/{groupId}/stats")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"/api/v1/admin/groups/{groupId}/api-keys")).ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GroupRates_OwnRateElseGroupRate_ForBindableGroupsOnly()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("alice@example.com");
        var standard = await app.AddGroupAsync("standard", g => g.RateMultiplier = 1.5m);
        var special = await app.AddGroupAsync("special", g => g.RateMultiplier = 2m);
        var exclusive = await app.AddGroupAsync("exclusive", g => { g.IsExclusive = true; g.RateMultiplier = 3m; });
        await app.WithDbAsync(db =>
        {
            db.UserGroupRateMultipliers.Add(new UserGroupRateMultiplier { UserId = userId, GroupId = special, Rate = 0.5m });
            db.UserGroupRateMultipliers.Add(new UserGroupRateMultiplier { UserId = userId, GroupId = exclusive, Rate = 0.1m });
            return db.SaveChangesAsync();
        });

        var rates = (await user.GetAsync("/api/v1/groups/rates")).Data;

        Assert.Equal(1.5m, rates.GetProperty(standard.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDecimal());
        Assert.Equal(0.5m, rates.GetProperty(special.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDecimal());
        Assert.False(rates.TryGetProperty(exclusive.ToString(System.Globalization.CultureInfo.InvariantCulture), out _));
        (await app.Api().GetAsync("/api/v1/groups/rates")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    private static async Task<long> BindAsync(Sub2ApiFactory app, long keyId, long groupId, string status = Statuses.Active)
    {
        await app.WithDbAsync(async db =>
        {
            var key = (await db.ApiKeys.FindAsync(keyId))!;
            key.GroupId = groupId;
            key.Status = status;
            await db.SaveChangesAsync();
        });
        return keyId;
    }
}

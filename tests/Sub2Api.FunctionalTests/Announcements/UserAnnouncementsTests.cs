using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Announcements;

public sealed class UserAnnouncementsTests
{
    private const string Admin = "/api/v1/admin/announcements";
    private const string Mine = "/api/v1/announcements";

    private static async Task<long> CreateAsync(ApiClient admin, string title, object? targeting = null, string status = "active",
        long? startsAt = null, long? endsAt = null) =>
        (await admin.PostAsync(Admin, new { title, content = "body of " + title, status, targeting = targeting ?? new { }, starts_at = startsAt, ends_at = endsAt }))
            .Data.GetProperty("id").GetInt64();

    private static object Rule(object condition) => new { any_of = new[] { new { all_of = new[] { condition } } } };

    private static async Task<List<string>> TitlesAsync(ApiClient user, string query = "") =>
        (await user.GetAsync(Mine + query)).Data.EnumerateArray().Select(a => a.GetProperty("title").GetString()!).ToList();

    private static Task<long> GroupAsync(Sub2ApiFactory app, string name) => app.WithDbAsync(async db =>
    {
        var group = new Group { Name = name, SubscriptionType = SubscriptionTypes.Subscription };
        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return group.Id;
    });

    private static Task SubscribeAsync(Sub2ApiFactory app, long userId, long groupId, DateTime expiresAt, string status = "active") =>
        app.WithDbAsync(async db =>
        {
            db.UserSubscriptions.Add(new UserSubscription
            {
                UserId = userId,
                GroupId = groupId,
                StartsAt = DateTime.UtcNow.AddDays(-10),
                ExpiresAt = expiresAt,
                Status = status,
                AssignedAt = DateTime.UtcNow.AddDays(-10),
            });
            await db.SaveChangesAsync();
        });

    [Fact]
    public async Task BalanceRule_ShowsOnlyToMatchingUsers_AndOthersCannotMarkIt()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (rich, _) = await app.CreateUserAsync("rich@example.com", balance: 100m);
        var (poor, _) = await app.CreateUserAsync("poor@example.com", balance: 1m);
        var id = await CreateAsync(admin, "rich only", Rule(new { type = "balance", @operator = "gte", value = 50 }));
        await CreateAsync(admin, "poor only", Rule(new { type = "balance", @operator = "lt", value = 10 }));
        await CreateAsync(admin, "everyone");

        Assert.Equal(["everyone", "rich only"], (await TitlesAsync(rich)).Order().ToList());
        Assert.Equal(["everyone", "poor only"], (await TitlesAsync(poor)).Order().ToList());
        (await poor.PostAsync($"{Mine}/{id}/read")).ShouldFail(HttpStatusCode.NotFound);
        _ = (await rich.PostAsync($"{Mine}/{id}/read")).Data;
    }

    [Fact]
    public async Task SubscriptionRule_ShowsOnlyToUsersWithAnActiveUnexpiredSubscription()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var gold = await GroupAsync(app, "gold");
        var silver = await GroupAsync(app, "silver");
        var (active, activeId) = await app.CreateUserAsync("active@example.com");
        var (expired, expiredId) = await app.CreateUserAsync("expired@example.com");
        var (suspended, suspendedId) = await app.CreateUserAsync("suspended@example.com");
        var (other, otherId) = await app.CreateUserAsync("other@example.com");
        var (none, _) = await app.CreateUserAsync("none@example.com");
        await SubscribeAsync(app, activeId, gold, DateTime.UtcNow.AddDays(5));
        await SubscribeAsync(app, expiredId, gold, DateTime.UtcNow.AddMinutes(-1));
        await SubscribeAsync(app, suspendedId, gold, DateTime.UtcNow.AddDays(5), Statuses.Suspended);
        await SubscribeAsync(app, otherId, silver, DateTime.UtcNow.AddDays(5));
        var id = await CreateAsync(admin, "gold members", Rule(new { type = "subscription", @operator = "in", group_ids = new[] { gold, 12345 } }));

        Assert.Equal(["gold members"], await TitlesAsync(active));
        Assert.Empty(await TitlesAsync(expired));
        Assert.Empty(await TitlesAsync(suspended));
        Assert.Empty(await TitlesAsync(other));
        Assert.Empty(await TitlesAsync(none));
        (await expired.PostAsync($"{Mine}/{id}/read")).ShouldFail(HttpStatusCode.NotFound);

        // AND inside a group, OR across groups: gold AND balance > 5, or silver.
        await CreateAsync(admin, "combined", new
        {
            any_of = new object[]
            {
                new { all_of = new object[] { new { type = "subscription", @operator = "in", group_ids = new[] { gold } }, new { type = "balance", @operator = "gt", value = 5 } } },
                new { all_of = new object[] { new { type = "subscription", @operator = "in", group_ids = new[] { silver } } } },
            },
        });
        Assert.DoesNotContain("combined", await TitlesAsync(active));
        Assert.Contains("combined", await TitlesAsync(other));

        var status = (await admin.GetAsync($"{Admin}/{id}/read-status?page_size=50")).Data;
        var eligible = status.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("eligible").GetBoolean()).Select(r => r.GetProperty("email").GetString()).ToList();
        Assert.Equal(["active@example.com"], eligible);
    }

    [Fact]
    public async Task OnlyActiveAnnouncementsInsideTheirWindowAreShown()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("u@example.com");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await CreateAsync(admin, "draft", status: "draft");
        var archived = await CreateAsync(admin, "archived", status: "archived");
        await CreateAsync(admin, "future", startsAt: now + 3600);
        await CreateAsync(admin, "ended", startsAt: now - 7200, endsAt: now - 3600);
        await CreateAsync(admin, "current", startsAt: now - 60, endsAt: now + 3600);
        Assert.Equal(["current"], await TitlesAsync(user));
        (await user.PostAsync($"{Mine}/{archived}/read")).ShouldFail(HttpStatusCode.NotFound);
        (await user.PostAsync($"{Mine}/424242/read")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MarkRead_IsIdempotent_ShowsInListsAndReadStatus()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.CreateUserAsync("reader@example.com");
        var (_, otherId) = await app.CreateUserAsync("other@example.com");
        var first = await CreateAsync(admin, "first");
        var second = await CreateAsync(admin, "second");

        var before = (await user.GetAsync(Mine)).Data;
        Assert.Equal(2, before.GetArrayLength());
        Assert.All(before.EnumerateArray(), a => Assert.Equal(JsonValueKind.Null, a.GetProperty("read_at").ValueKind));
        Assert.False(before[0].TryGetProperty("targeting", out _));
        Assert.False(before[0].TryGetProperty("status", out _));

        _ = (await user.PostAsync($"{Mine}/{second}/read")).Data;
        var readAt = await app.WithDbAsync(db => db.AnnouncementReads.Where(r => r.UserId == userId).Select(r => r.ReadAt).SingleAsync());
        _ = (await user.PostAsync($"{Mine}/{second}/read")).Data;
        Assert.Equal(readAt, await app.WithDbAsync(db => db.AnnouncementReads.Where(r => r.UserId == userId).Select(r => r.ReadAt).SingleAsync()));

        // Unread first, then read.
        var after = (await user.GetAsync(Mine)).Data;
        Assert.Equal(first, after[0].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, after[0].GetProperty("read_at").ValueKind);
        Assert.Equal(second, after[1].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.String, after[1].GetProperty("read_at").ValueKind);
        Assert.Equal(["first"], await TitlesAsync(user, "?unread_only=1"));
        Assert.Equal(["first"], await TitlesAsync(user, "?unread_only=true"));
        (await user.GetAsync($"{Mine}?unread_only=maybe")).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PostAsync($"{Mine}/abc/read")).ShouldFail(HttpStatusCode.BadRequest);

        var status = (await admin.GetAsync($"{Admin}/{second}/read-status?search=example.com")).Data;
        Assert.Equal(2, status.GetProperty("total").GetInt64());
        var rows = status.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("user_id").GetInt64());
        Assert.Equal(JsonValueKind.String, rows[userId].GetProperty("read_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[otherId].GetProperty("read_at").ValueKind);
        Assert.True(rows[otherId].GetProperty("eligible").GetBoolean());
        Assert.Equal("other@example.com", status.GetProperty("items")[0].GetProperty("email").GetString());
    }

    [Fact]
    public async Task UserWithNone_GetsAnEmptyList_AndAnonymousIs401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("lonely@example.com");
        Assert.Equal(0, (await user.GetAsync(Mine)).Data.GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api().GetAsync(Mine)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api().PostAsync($"{Mine}/1/read")).Status);
    }
}

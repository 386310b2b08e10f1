using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Announcements;

public sealed class AdminAnnouncementsApiTests
{
    private const string Path = "/api/v1/admin/announcements";

    private static readonly object BalanceRule = new
    {
        any_of = new[] { new { all_of = new object[] { new { type = "balance", @operator = "gte", value = 50.5m } } } },
    };

    [Fact]
    public async Task Crud_RoundTripsEveryField_AndDeleteRemovesReads()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var adminId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == Sub2ApiFactory.AdminEmail).Select(u => u.Id).SingleAsync());

        var created = (await admin.PostAsync(Path, new
        {
            title = "  Maintenance  ",
            content = "Line one\nLine two",
            status = "active",
            targeting = BalanceRule,
            starts_at = 1_700_000_000L,
            ends_at = 4_000_000_000L,
        })).Data;
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("Maintenance", created.GetProperty("title").GetString());
        Assert.Equal("Line one\nLine two", created.GetProperty("content").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime, created.GetProperty("starts_at").GetDateTime().ToUniversalTime());
        Assert.Equal(adminId, created.GetProperty("created_by").GetInt64());
        Assert.Equal(adminId, created.GetProperty("updated_by").GetInt64());
        var condition = created.GetProperty("targeting").GetProperty("any_of")[0].GetProperty("all_of")[0];
        Assert.Equal("balance", condition.GetProperty("type").GetString());
        Assert.Equal("gte", condition.GetProperty("operator").GetString());
        Assert.Equal(50.5m, condition.GetProperty("value").GetDecimal());
        Assert.False(condition.TryGetProperty("group_ids", out _));

        var got = (await admin.GetAsync($"{Path}/{id}")).Data;
        Assert.Equal(created.GetRawText(), got.GetRawText());

        _ = (await admin.PostAsync(Path, new { title = "Draft news", content = "x" })).Data;
        var list = (await admin.GetAsync($"{Path}?status=active")).Data;
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetInt64());
        var drafts = (await admin.GetAsync($"{Path}?status=draft")).Data;
        Assert.Equal("draft", drafts.GetProperty("items")[0].GetProperty("status").GetString());
        var searched = (await admin.GetAsync($"{Path}?search=MAINTEN&page=1&page_size=5")).Data;
        Assert.Equal(1, searched.GetProperty("total").GetInt64());
        Assert.Equal(5, searched.GetProperty("page_size").GetInt32());
        Assert.Equal(2, (await admin.GetAsync(Path)).Data.GetProperty("total").GetInt64());

        // 0 clears a time; targeting {} means everyone; missing fields keep their values.
        var updated = (await admin.PutAsync($"{Path}/{id}", new { status = "archived", starts_at = 0, targeting = new { } })).Data;
        Assert.Equal("archived", updated.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("starts_at").ValueKind);
        Assert.Equal(JsonValueKind.String, updated.GetProperty("ends_at").ValueKind);
        Assert.Equal(0, updated.GetProperty("targeting").GetProperty("any_of").GetArrayLength());
        Assert.Equal("Maintenance", updated.GetProperty("title").GetString());

        await app.WithDbAsync(async db =>
        {
            db.AnnouncementReads.Add(new AnnouncementRead { AnnouncementId = id, UserId = adminId, ReadAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });
        _ = (await admin.DeleteAsync($"{Path}/{id}")).Data;
        (await admin.GetAsync($"{Path}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.False(await app.WithDbAsync(db => db.AnnouncementReads.AnyAsync(r => r.AnnouncementId == id)));
    }

    private static readonly (string Body, string Expected)[] BadBodies =
    [
        ("""{"content":"c"}""", "title is required"),
        ($$"""{"title":"{{new string('t', 201)}}","content":"c"}""", "title must be at most 200"),
        ("""{"title":"t"}""", "content is required"),
        ("""{"title":"t","content":"c","status":"live"}""", "status must be one of"),
        ("""{"title":"t","content":"c","starts_at":2000,"ends_at":1000}""", "ends_at must be after starts_at"),
        ("""{"title":"t","content":"c","starts_at":-1}""", "starts_at must be Unix seconds"),
        ("""{"title":"t","content":"c","ends_at":99999999999999}""", "ends_at must be Unix seconds"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"plan","operator":"in","group_ids":[1]}]}]}}""", "any_of[0].all_of[0].type must be one of"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"balance","operator":"ne","value":1}]}]}}""", "operator must be one of: gt, gte, lt, lte, eq"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"balance","operator":"gt"}]}]}}""", "value is required"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"subscription","operator":"in"}]}]}}""", "group_ids must list at least one"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"subscription","operator":"gt","group_ids":[1]}]}]}}""", "must be \"in\""),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"subscription","operator":"in","group_ids":[0]}]}]}}""", "positive ids"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[]}]}}""", "any_of[0].all_of must have at least one"),
        ("""{"title":"t","content":"c","targeting":{"any_of":[{"all_of":[{"type":"balance","operator":"gt","value":1e13}]}]}}""", "value must be between"),
    ];

    [Fact]
    public async Task Create_InvalidBody_Is400WithClearMessage()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        foreach (var (body, expected) in BadBodies)
        {
            var result = (await admin.SendRawAsync(HttpMethod.Post, Path, body)).ShouldFail(HttpStatusCode.BadRequest);
            Assert.True(result.Message.Contains(expected, StringComparison.Ordinal), $"{body} → {result.Message}");
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Announcements.CountAsync()));
    }

    [Fact]
    public async Task Targeting_SizeLimitsAreEnforced_OnCreateAndUpdate()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var condition = new { type = "balance", @operator = "gt", value = 1 };
        var tooManyGroups = new { any_of = Enumerable.Range(0, 51).Select(_ => new { all_of = new[] { condition } }).ToArray() };
        var tooManyConditions = new { any_of = new[] { new { all_of = Enumerable.Repeat(condition, 51).ToArray() } } };
        var tooManyIds = new
        {
            any_of = new[] { new { all_of = new[] { new { type = "subscription", @operator = "in", group_ids = Enumerable.Range(1, 101).ToArray() } } } },
        };
        Assert.Contains("at most 50 groups", (await admin.PostAsync(Path, new { title = "t", content = "c", targeting = tooManyGroups })).ShouldFail(HttpStatusCode.BadRequest).Message);
        Assert.Contains("at most 50 conditions", (await admin.PostAsync(Path, new { title = "t", content = "c", targeting = tooManyConditions })).ShouldFail(HttpStatusCode.BadRequest).Message);
        Assert.Contains("at most 100 ids", (await admin.PostAsync(Path, new { title = "t", content = "c", targeting = tooManyIds })).ShouldFail(HttpStatusCode.BadRequest).Message);

        var id = (await admin.PostAsync(Path, new { title = "t", content = "c" })).Data.GetProperty("id").GetInt64();
        (await admin.PutAsync($"{Path}/{id}", new { targeting = tooManyConditions })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync($"{Path}/{id}", new { ends_at = 1000, starts_at = 2000 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync($"{Path}/{id}", new { title = " " })).ShouldFail(HttpStatusCode.BadRequest);
        var stored = await app.WithDbAsync(db => db.Announcements.SingleAsync());
        Assert.Equal("t", stored.Title);
        Assert.Null(stored.EndsAt);
    }

    [Fact]
    public async Task UnknownIds_Are404_AndBadQueries400()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.GetAsync($"{Path}/999")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{Path}/999", new { title = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Path}/999")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Path}/999/read-status")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Path}/abc")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("status must be one of", (await admin.GetAsync($"{Path}?status=bogus")).ShouldFail(HttpStatusCode.BadRequest).Message);
        (await admin.GetAsync($"{Path}?page=0")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task User_IsForbiddenOnEveryAdminRoute()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = (await admin.PostAsync(Path, new { title = "t", content = "c" })).Data.GetProperty("id").GetInt64();
        var (user, _) = await app.CreateUserAsync("plain@example.com");
        (await user.GetAsync(Path)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync(Path, new { title = "t", content = "c" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{Path}/{id}")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync($"{Path}/{id}", new { title = "x" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.DeleteAsync($"{Path}/{id}")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{Path}/{id}/read-status")).ShouldFail(HttpStatusCode.Forbidden);
        Assert.Equal("t", await app.WithDbAsync(db => db.Announcements.Select(a => a.Title).SingleAsync()));
    }
}

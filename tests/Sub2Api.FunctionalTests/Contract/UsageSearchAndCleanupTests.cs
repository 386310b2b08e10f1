using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Admin.Usage.Cleanup;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Contract;

public sealed class UsageSearchAndCleanupTests
{
    private static readonly DateTime Day = new(2026, 5, 10, 0, 0, 0, DateTimeKind.Utc);

    private static Sub2ApiFactory CleanupApp(int chunkSize, int pauseMs = 0) => new(settings: new Dictionary<string, string?>
    {
        ["UsageCleanup:IntervalSeconds"] = "0.05",
        ["UsageCleanup:ChunkSize"] = chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["UsageCleanup:ChunkPauseMilliseconds"] = pauseMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task SearchUsers_ByEmailOrUsername_AtMostTwenty_DeletedIncluded()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        for (var i = 0; i < 25; i++)
        {
            await app.AddUserAsync($"team{i:D2}@example.com");
        }
        var (_, goneId) = await app.AddUserAsync("gone@corp.test");
        await admin.DeleteAsync($"/api/v1/admin/users/{goneId}");

        var many = (await admin.GetAsync("/api/v1/admin/usage/search-users?q=TEAM")).Data.EnumerateArray().ToList();
        Assert.Equal(20, many.Count);
        Assert.Equal("team00@example.com", many[0].GetProperty("email").GetString());

        var gone = Assert.Single((await admin.GetAsync("/api/v1/admin/usage/search-users?q=corp")).Data.EnumerateArray());
        Assert.Equal(goneId, gone.GetProperty("id").GetInt64());
        Assert.True(gone.GetProperty("deleted").GetBoolean());
        Assert.Empty((await admin.GetAsync("/api/v1/admin/usage/search-users?q=")).Data.EnumerateArray());
        Assert.Empty((await admin.GetAsync($"/api/v1/admin/usage/search-users?q={new string('x', 5000)}")).Data.EnumerateArray());
    }

    [Fact]
    public async Task SearchApiKeys_ByNameAndUser()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var laptop = await app.AddKeyAsync(aliceId, "Laptop");
        await app.AddKeyAsync(aliceId, "server");
        await app.AddKeyAsync(bobId, "laptop-bob");

        var both = (await admin.GetAsync("/api/v1/admin/usage/search-api-keys?q=laptop")).Data.EnumerateArray().ToList();
        Assert.Equal(2, both.Count);
        var alices = Assert.Single((await admin.GetAsync($"/api/v1/admin/usage/search-api-keys?q=lap&user_id={aliceId}")).Data.EnumerateArray());
        Assert.Equal(laptop, alices.GetProperty("id").GetInt64());
        Assert.Equal("Laptop", alices.GetProperty("name").GetString());
        Assert.Equal(aliceId, alices.GetProperty("user_id").GetInt64());
        Assert.Equal(2, (await admin.GetAsync($"/api/v1/admin/usage/search-api-keys?user_id={aliceId}")).Data.GetArrayLength());

        (await admin.GetAsync("/api/v1/admin/usage/search-api-keys?user_id=abc")).ShouldFail(HttpStatusCode.BadRequest);
        (await user.GetAsync("/api/v1/admin/usage/search-api-keys?q=a")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync("/api/v1/admin/usage/search-users?q=a")).ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateTask_Validates_TheRangeAndFilters()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("alice@example.com");
        const string path = "/api/v1/admin/usage/cleanup-tasks";

        (await admin.PostAsync(path, new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(path, new { start_time = "2026-05-01T00:00:00Z" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(path, new { start_time = "2026-05-10T00:00:00Z", end_time = "2026-05-01T00:00:00Z" })).ShouldFail(HttpStatusCode.BadRequest);
        var tooLong = await admin.PostAsync(path, new { start_time = "2026-01-01T00:00:00Z", end_time = "2026-03-01T00:00:00Z" });
        Assert.Contains("31 days", tooLong.ShouldFail(HttpStatusCode.BadRequest).Message);
        (await admin.PostAsync(path, new { start_date = "2026-05-01", end_date = "2026-06-01" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(path, new { start_time = "yesterday", end_time = "2026-05-01T00:00:00Z" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(path, new { start_date = "2026-05-01", end_date = "2026-05-02", billing_type = 7 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(path, new { start_date = "2026-05-01", end_date = "2026-05-02", user_id = -1 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(path, new { start_date = "2026-05-01", end_date = "2026-05-02", stream = "yes" })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PostAsync(path, new { start_date = "2026-05-01", end_date = "2026-05-02" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync(path)).ShouldFail(HttpStatusCode.Forbidden);

        // 31 whole days (end date included) is the most a task may cover.
        var ok = (await admin.PostAsync(path, new { start_date = "2026-05-01", end_date = "2026-05-31", model = " claude-x " })).Data;
        Assert.Equal("pending", ok.GetProperty("status").GetString());
        Assert.Equal("claude-x", ok.GetProperty("filters").GetProperty("model").GetString());
        Assert.Equal(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), ok.GetProperty("filters").GetProperty("end_time").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task Task_DeletesExactlyTheMatchingRows_InChunks_AndLeavesBalancesAlone()
    {
        await using var app = CleanupApp(chunkSize: 2);
        var admin = await app.AdminAsync();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        await app.WithDbAsync(async db =>
        {
            (await db.Users.FindAsync(aliceId))!.Balance = 12.5m;
            await db.SaveChangesAsync();
        });
        var rows = new List<UsageLog>();
        for (var i = 0; i < 7; i++)
        {
            rows.Add(PortalArrange.Usage(aliceId, aliceKey, Day.AddHours(i), actualCost: 1m, model: "claude-a"));
        }
        rows.Add(PortalArrange.Usage(aliceId, aliceKey, Day.AddHours(2), model: "claude-b"));           // other model
        rows.Add(PortalArrange.Usage(bobId, bobKey, Day.AddHours(3), model: "claude-a"));                // other user
        rows.Add(PortalArrange.Usage(aliceId, aliceKey, Day.AddDays(-1), model: "claude-a"));            // before the range
        rows.Add(PortalArrange.Usage(aliceId, aliceKey, Day.AddDays(1), model: "claude-a"));             // at the exclusive end
        await app.AddUsageAsync([.. rows]);

        var task = (await admin.PostAsync("/api/v1/admin/usage/cleanup-tasks", new
        {
            start_time = "2026-05-10T00:00:00Z", end_time = "2026-05-11T00:00:00Z", user_id = aliceId, model = "claude-a",
        })).Data;
        var id = task.GetProperty("id").GetInt64();
        var done = await WaitForStatusAsync(admin, id, "succeeded");

        Assert.Equal(7, done.GetProperty("deleted_rows").GetInt64());
        Assert.Equal(JsonValueKind.String, done.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.String, done.GetProperty("finished_at").ValueKind);
        var left = await app.WithDbAsync(db => db.UsageLogs.AsNoTracking().OrderBy(u => u.Id).ToListAsync());
        Assert.Equal(4, left.Count);
        Assert.DoesNotContain(left, u => u.UserId == aliceId && u.Model == "claude-a" && u.CreatedAt >= Day && u.CreatedAt < Day.AddDays(1));
        Assert.Equal(12.5m, await app.WithDbAsync(db => db.Users.Where(u => u.Id == aliceId).Select(u => u.Balance).FirstAsync()));

        // Several statements: 7 rows at 2 per chunk.
        Assert.Equal("succeeded", (await admin.GetAsync("/api/v1/admin/usage/cleanup-tasks")).Data.GetProperty("items")[0].GetProperty("status").GetString());
        (await admin.PostAsync($"/api/v1/admin/usage/cleanup-tasks/{id}/cancel")).ShouldFail(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancel_StopsARunningTask_BetweenChunks_CountingExactlyWhatWasDeleted()
    {
        const int total = 40;
        await using var app = CleanupApp(chunkSize: 1, pauseMs: 60);
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("alice@example.com");
        var key = await app.AddKeyAsync(userId);
        await app.AddUsageAsync([.. Enumerable.Range(0, total).Select(i => PortalArrange.Usage(userId, key, Day.AddMinutes(i)))]);
        var executor = app.Services.GetRequiredService<UsageCleanupExecutor>();

        var id = (await admin.PostAsync("/api/v1/admin/usage/cleanup-tasks", new { start_date = "2026-05-10", end_date = "2026-05-10" }))
            .Data.GetProperty("id").GetInt64();
        await RelayScenario.WaitUntilAsync(async () => (await TaskAsync(admin, id)).GetProperty("deleted_rows").GetInt64() >= 2,
            because: "the executor deleted a few chunks");
        var runsBefore = executor.Runs;
        var canceled = (await admin.PostAsync($"/api/v1/admin/usage/cleanup-tasks/{id}/cancel")).Data;
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(executor.Runs > runsBefore), because: "the executor's run ended");

        var after = await TaskAsync(admin, id);
        Assert.Equal("canceled", after.GetProperty("status").GetString());
        var deleted = after.GetProperty("deleted_rows").GetInt64();
        Assert.InRange(deleted, 2, total - 1);
        Assert.Equal(total - deleted, await app.WithDbAsync(db => db.UsageLogs.LongCountAsync()));
        Assert.Equal(JsonValueKind.Number, after.GetProperty("canceled_by").ValueKind);

        (await admin.PostAsync($"/api/v1/admin/usage/cleanup-tasks/{id}/cancel")).ShouldFail(HttpStatusCode.Conflict);
        (await admin.PostAsync("/api/v1/admin/usage/cleanup-tasks/999999/cancel")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync("/api/v1/admin/usage/cleanup-tasks/abc/cancel")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Cancel_APendingTask_MeansNothingIsDeleted()
    {
        await using var app = new Sub2ApiFactory(); // the default interval: the task stays pending while we cancel it
        var admin = await app.AdminAsync();
        var (user, userId) = await app.AddUserAsync("alice@example.com");
        var key = await app.AddKeyAsync(userId);
        await app.AddUsageAsync(PortalArrange.Usage(userId, key, Day));
        var id = (await admin.PostAsync("/api/v1/admin/usage/cleanup-tasks", new { start_date = "2026-05-10", end_date = "2026-05-10" }))
            .Data.GetProperty("id").GetInt64();

        (await user.PostAsync($"/api/v1/admin/usage/cleanup-tasks/{id}/cancel")).ShouldFail(HttpStatusCode.Forbidden);
        Assert.Equal("canceled", (await admin.PostAsync($"/api/v1/admin/usage/cleanup-tasks/{id}/cancel")).Data.GetProperty("status").GetString());
        var listed = (await admin.GetAsync("/api/v1/admin/usage/cleanup-tasks?page_size=1")).Data;
        Assert.Equal(1, listed.GetProperty("total").GetInt64());
        Assert.Equal(0, listed.GetProperty("items")[0].GetProperty("deleted_rows").GetInt64());
        Assert.Equal(1, await app.WithDbAsync(db => db.UsageLogs.CountAsync()));
    }

    private static async Task<JsonElement> TaskAsync(ApiClient admin, long id) =>
        (await admin.GetAsync("/api/v1/admin/usage/cleanup-tasks?page_size=100")).Data.GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("id").GetInt64() == id);

    private static async Task<JsonElement> WaitForStatusAsync(ApiClient admin, long id, string status)
    {
        await RelayScenario.WaitUntilAsync(async () => (await TaskAsync(admin, id)).GetProperty("status").GetString() == status,
            because: $"task {id} reached {status}");
        return await TaskAsync(admin, id);
    }
}

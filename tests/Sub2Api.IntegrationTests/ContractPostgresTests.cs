using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests;

/// <summary>
/// The contract routes that write or aggregate in SQL, on PostgreSQL: a cleanup task's chunked
/// <c>DELETE … WHERE id IN (SELECT … LIMIT n)</c> with its transactional progress update, the batch cost sums, and the
/// admin API key read from the settings table.
/// </summary>
public sealed class ContractPostgresTests
{
    [Fact]
    public async Task CleanupTask_BatchCosts_AndAdminKey_OnPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["UsageCleanup:IntervalSeconds"] = "0.05",
            ["UsageCleanup:ChunkSize"] = "2",
        });
        var admin = await app.AdminAsync();
        var (_, userId, key) = await TestSeed.UserWithKeyAsync(app, null, 3m, 1);
        var day = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
        await app.WithDbAsync(db =>
        {
            for (var i = 0; i < 5; i++)
            {
                db.UsageLogs.Add(Row(userId, key, day.AddHours(i), 0.000000000123m, "claude-a"));
            }
            db.UsageLogs.Add(Row(userId, key, day.AddHours(1), 1m, "claude-b"));
            db.UsageLogs.Add(Row(userId, key, DateTime.UtcNow, 2m, "claude-a"));
            return db.SaveChangesAsync();
        });

        var costs = (await admin.PostAsync("/api/v1/admin/dashboard/users-usage", new { user_ids = new[] { userId } })).Data
            .GetProperty("stats").GetProperty(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3.000000000615m, costs.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(2m, costs.GetProperty("today_actual_cost").GetDecimal());

        var id = (await admin.PostAsync("/api/v1/admin/usage/cleanup-tasks", new { start_date = "2026-03-10", end_date = "2026-03-10", model = "claude-a" }))
            .Data.GetProperty("id").GetInt64();
        JsonElement task = default;
        await RelayScenario.WaitUntilAsync(async () =>
        {
            task = (await admin.GetAsync("/api/v1/admin/usage/cleanup-tasks")).Data.GetProperty("items").EnumerateArray()
                .Single(t => t.GetProperty("id").GetInt64() == id);
            return task.GetProperty("status").GetString() is "succeeded" or "failed";
        }, TimeSpan.FromSeconds(20), "the task finished");
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Equal(5, task.GetProperty("deleted_rows").GetInt64());
        Assert.Equal(2, await app.WithDbAsync(db => db.UsageLogs.CountAsync()));
        Assert.Equal(3m, await app.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Balance).FirstAsync()));

        var adminKey = (await admin.PostAsync("/api/v1/admin/settings/admin-api-key/regenerate")).Data.GetProperty("key").GetString()!;
        var script = app.Api();
        script.Http.DefaultRequestHeaders.Add("x-api-key", adminKey);
        Assert.Equal(0, (await script.GetAsync("/api/v1/admin/users")).Body.GetProperty("code").GetInt32());
    }

    private static UsageLog Row(long userId, long keyId, DateTime at, decimal cost, string model) => new()
    {
        UserId = userId,
        ApiKeyId = keyId,
        AccountId = 1,
        RequestId = Guid.NewGuid().ToString("N"),
        Model = model,
        TotalCost = cost,
        ActualCost = cost,
        CreatedAt = at,
    };
}

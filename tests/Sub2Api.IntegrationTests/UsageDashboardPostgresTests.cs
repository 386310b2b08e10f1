using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.IntegrationTests;

/// <summary>The user dashboard's day/hour buckets and per-model sums translate and stay exact on PostgreSQL.</summary>
public sealed class UsageDashboardPostgresTests
{
    [Fact]
    public async Task TrendAndModels_GroupInPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        var day = new DateTime(2026, 3, 10, 9, 15, 0, DateTimeKind.Utc);
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
        });
        var (_, userId, key) = await TestSeed.UserWithKeyAsync(app, null, 1m, 1);
        var email = await app.WithDbAsync(async db =>
        {
            var row = await db.Users.FindAsync(userId);
            row!.PasswordHash = PasswordHasher.Hash(Password);
            await db.SaveChangesAsync();
            return row.Email;
        });
        var user = app.Api().WithToken(await app.LoginAsync(email, Password));
        await app.WithDbAsync(db =>
        {
            db.UsageLogs.AddRange(
                Row(userId, key, day, 0.000000000123m, 1, 2, "claude-sonnet-4-5"),
                Row(userId, key, day.AddMinutes(40), 1m, 3, 4, "claude-haiku-4-5"),
                Row(userId, key, day.AddDays(1).AddHours(14), 2m, 5, 6, "claude-sonnet-4-5"));
            return db.SaveChangesAsync();
        });

        var daily = (await user.GetAsync("/api/v1/usage/dashboard/trend?start_date=2026-03-10&end_date=2026-03-11")).Data
            .GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-03-10", "2026-03-11"], daily.Select(t => t.GetProperty("date").GetString()));
        Assert.Equal(1.000000000123m, daily[0].GetProperty("cost").GetDecimal());
        var hourly = (await user.GetAsync("/api/v1/usage/dashboard/trend?start_date=2026-03-10&end_date=2026-03-11&granularity=hour")).Data
            .GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(["2026-03-10 09:00", "2026-03-11 23:00"],
            hourly.Select(t => t.GetProperty("date").GetString()));
        var models = (await user.GetAsync("/api/v1/usage/dashboard/models?start_date=2026-03-10&end_date=2026-03-11")).Data
            .GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["claude-sonnet-4-5", "claude-haiku-4-5"], models.Select(m => m.GetProperty("model").GetString()));
        Assert.Equal(2.000000000123m, models[0].GetProperty("cost").GetDecimal());
        var stats = (await user.GetAsync("/api/v1/usage/dashboard/stats")).Data;
        Assert.Equal(3, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("total_api_keys").GetInt64());
    }

    private const string Password = "user-password-1";

    private static UsageLog Row(long userId, long keyId, DateTime at, decimal cost, long input, long output, string model) => new()
    {
        UserId = userId,
        ApiKeyId = keyId,
        AccountId = 1,
        RequestId = Guid.NewGuid().ToString("N"),
        Model = model,
        InputTokens = input,
        OutputTokens = output,
        TotalCost = cost,
        ActualCost = cost,
        CreatedAt = at,
    };
}

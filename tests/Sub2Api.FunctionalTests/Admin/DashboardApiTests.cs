using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Admin;

public sealed class DashboardApiTests
{
    // Five minutes into a UTC day, so "last minute", "last hour", "today" and "yesterday" are all distinct.
    internal static readonly DateTime Now = new(2026, 5, 1, 0, 5, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Stats_CountsUsersKeysAndAccounts()
    {
        await using var app = new Sub2ApiFactory();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com", createdAt: Now.AddMinutes(-4));
        var (_, bobId) = await app.AddUserAsync("bob@example.com", createdAt: Now.AddDays(-3));
        var aliceKey = await app.AddKeyAsync(aliceId);
        _ = await app.AddKeyAsync(bobId);
        await app.WithDbAsync(async db =>
        {
            var disabled = await db.ApiKeys.FindAsync(aliceKey);
            disabled!.Status = Statuses.Disabled;
            db.Accounts.AddRange(
                Account("ok"),
                Account("unschedulable", a => a.Schedulable = false),
                Account("error", a => a.Status = Statuses.Error),
                Account("limited", a => a.RateLimitResetAt = Now.AddMinutes(30)),
                Account("limit-over", a => a.RateLimitResetAt = Now.AddMinutes(-30)),
                Account("overloaded", a => a.OverloadUntil = Now.AddMinutes(5)));
            await db.SaveChangesAsync();
        });
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, aliceKey, Now.AddSeconds(-5)),
            PortalArrange.Usage(aliceId, aliceKey, Now.AddMinutes(-3)),
            PortalArrange.Usage(bobId, aliceKey, Now.AddMinutes(-10)));
        var admin = await ClockedAdminAsync(app);

        var stats = (await admin.GetAsync("/api/v1/admin/dashboard/stats")).Data;

        Assert.Equal(3, stats.GetProperty("total_users").GetInt64()); // admin, alice, bob
        Assert.Equal(1, stats.GetProperty("today_new_users").GetInt64());
        Assert.Equal(1, stats.GetProperty("active_users").GetInt64());
        Assert.Equal(2, stats.GetProperty("hourly_active_users").GetInt64()); // bob's row was yesterday but within the hour
        Assert.Equal(2, stats.GetProperty("total_api_keys").GetInt64());
        Assert.Equal(1, stats.GetProperty("active_api_keys").GetInt64());
        Assert.Equal(6, stats.GetProperty("total_accounts").GetInt64());
        Assert.Equal(2, stats.GetProperty("normal_accounts").GetInt64()); // "ok" and "limit-over"
        Assert.Equal(1, stats.GetProperty("error_accounts").GetInt64());
        Assert.Equal(1, stats.GetProperty("ratelimit_accounts").GetInt64());
        Assert.Equal(1, stats.GetProperty("overload_accounts").GetInt64());
    }

    [Fact]
    public async Task Stats_UsageTotalsTodayAndLastMinute_AreExact()
    {
        await using var app = new Sub2ApiFactory();
        var (_, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        var recent = PortalArrange.Usage(userId, key, Now.AddSeconds(-10), 0.0000012345m, 0.0000006789m, input: 100, output: 50, durationMs: 300);
        recent.CacheCreationTokens = 5;
        recent.CacheReadTokens = 7;
        var earlierToday = PortalArrange.Usage(userId, key, Now.AddMinutes(-4), 0.0000012345m, 0.0000006789m, input: 10, output: 5, durationMs: 100);
        var yesterday = PortalArrange.Usage(userId, key, Now.AddMinutes(-6), 1.2345678901m, 0.9876543211m, input: 1000, output: 500);
        await app.AddUsageAsync(recent, earlierToday, yesterday);
        var admin = await ClockedAdminAsync(app);

        var stats = (await admin.GetAsync("/api/v1/admin/dashboard/stats")).Data;

        Assert.Equal(3, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(2, stats.GetProperty("today_requests").GetInt64());
        Assert.Equal(1110, stats.GetProperty("total_input_tokens").GetInt64());
        Assert.Equal(555, stats.GetProperty("total_output_tokens").GetInt64());
        Assert.Equal(5, stats.GetProperty("total_cache_creation_tokens").GetInt64());
        Assert.Equal(7, stats.GetProperty("total_cache_read_tokens").GetInt64());
        Assert.Equal(1677, stats.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1.2345703591m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0.9876556789m, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(110, stats.GetProperty("today_input_tokens").GetInt64());
        Assert.Equal(55, stats.GetProperty("today_output_tokens").GetInt64());
        Assert.Equal(177, stats.GetProperty("today_tokens").GetInt64());
        Assert.Equal(0.000002469m, stats.GetProperty("today_cost").GetDecimal());
        Assert.Equal(0.0000013578m, stats.GetProperty("today_actual_cost").GetDecimal());
        Assert.Equal(200d, stats.GetProperty("average_duration_ms").GetDouble());
        Assert.Equal(1, stats.GetProperty("rpm").GetInt64());
        Assert.Equal(162, stats.GetProperty("tpm").GetInt64());
    }

    [Fact]
    public async Task Stats_EmptyDatabase_IsZerosNot500()
    {
        await using var app = new Sub2ApiFactory();
        var stats = (await (await app.AdminAsync()).GetAsync("/api/v1/admin/dashboard/stats")).Data;
        Assert.Equal(1, stats.GetProperty("total_users").GetInt64());
        Assert.Equal(0, stats.GetProperty("total_accounts").GetInt64());
        Assert.Equal(0m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0, stats.GetProperty("rpm").GetInt64());
    }

    [Fact]
    public async Task Stats_UserToken_Is403_NoToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        (await user.GetAsync("/api/v1/admin/dashboard/stats")).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync("/api/v1/admin/dashboard/stats")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// An admin client on a second host over the same data whose clock stands at <see cref="Now"/>; the admin's
    /// own creation time is moved out of "today" so the counts do not depend on when the test runs.
    /// </summary>
    internal static async Task<ApiClient> ClockedAdminAsync(Sub2ApiFactory app)
    {
        await app.WithDbAsync(async db =>
        {
            var admin = await db.Users.SingleAsync(u => u.Email == Sub2ApiFactory.AdminEmail);
            admin.CreatedAt = Now.AddDays(-30);
            await db.SaveChangesAsync();
        });
        var clocked = app.WithWebHostBuilder(b => b.ConfigureTestServices(
            s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(Now)))));
        var login = await new ApiClient(clocked.CreateClient()).PostAsync("/api/v1/auth/login",
            new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword });
        return new ApiClient(clocked.CreateClient()).WithToken(login.Data.GetProperty("access_token").GetString()!);
    }

    private static Account Account(string name, Action<Account>? configure = null)
    {
        var account = new Account { Name = name, Platform = Platforms.Anthropic, Type = AccountTypes.OAuth };
        configure?.Invoke(account);
        return account;
    }
}

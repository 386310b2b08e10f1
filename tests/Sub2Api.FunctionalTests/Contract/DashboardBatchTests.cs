using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Contract;

public sealed class DashboardBatchTests
{
    [Fact]
    public async Task UsersUsage_TodayAndTotalActualCost_PerId_ZeroForUnknown()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        var now = DateTime.UtcNow;
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, aliceKey, now.AddMinutes(-1), actualCost: 0.0000001m),
            PortalArrange.Usage(aliceId, aliceKey, now.AddDays(-3), actualCost: 2m),
            PortalArrange.Usage(bobId, bobKey, now.AddMinutes(-1), actualCost: 5m));

        var stats = (await admin.PostAsync("/api/v1/admin/dashboard/users-usage", new { user_ids = new[] { aliceId, 424242L } }))
            .Data.GetProperty("stats");

        var alice = stats.GetProperty(aliceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(aliceId, alice.GetProperty("user_id").GetInt64());
        Assert.Equal(0.0000001m, alice.GetProperty("today_actual_cost").GetDecimal());
        Assert.Equal(2.0000001m, alice.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(0m, stats.GetProperty("424242").GetProperty("total_actual_cost").GetDecimal());
        Assert.False(stats.TryGetProperty(bobId.ToString(System.Globalization.CultureInfo.InvariantCulture), out _));

        var keys = (await admin.PostAsync("/api/v1/admin/dashboard/api-keys-usage", new { api_key_ids = new[] { bobKey } })).Data.GetProperty("stats");
        Assert.Equal(5m, keys.GetProperty(bobKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("today_actual_cost").GetDecimal());
        Assert.Equal(bobKey, keys.GetProperty(bobKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("api_key_id").GetInt64());
    }

    [Fact]
    public async Task BatchRoutes_Errors()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("alice@example.com");

        (await admin.PostAsync("/api/v1/admin/dashboard/users-usage", new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync("/api/v1/admin/dashboard/users-usage", new { user_ids = "1,2" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync("/api/v1/admin/dashboard/api-keys-usage", new { api_key_ids = Enumerable.Range(1, 1001) })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PostAsync("/api/v1/admin/dashboard/users-usage", new { user_ids = new[] { 1 } })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync("/api/v1/admin/dashboard/api-keys-usage", new { api_key_ids = new[] { 1 } })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync("/api/v1/admin/dashboard/realtime")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync("/api/v1/usage/dashboard/api-keys-usage", new { })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Empty((await admin.PostAsync("/api/v1/admin/dashboard/users-usage", new { user_ids = Array.Empty<long>() })).Data.GetProperty("stats").EnumerateObject());
    }

    [Fact]
    public async Task UserApiKeysUsage_CountsOnlyTheCallersOwnRows()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, aliceKey, DateTime.UtcNow, actualCost: 1.25m),
            PortalArrange.Usage(bobId, bobKey, DateTime.UtcNow, actualCost: 9m));

        var stats = (await alice.PostAsync("/api/v1/usage/dashboard/api-keys-usage", new { api_key_ids = new[] { aliceKey, bobKey } }))
            .Data.GetProperty("stats");

        Assert.Equal(1.25m, stats.GetProperty(aliceKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(0m, stats.GetProperty(bobKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("total_actual_cost").GetDecimal());
    }

    [Fact]
    public async Task Realtime_SlotsInUse_LastMinuteRequests_AndErrorRate()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("alice@example.com");
        var key = await app.AddKeyAsync(userId);
        var accountId = await app.WithDbAsync(async db =>
        {
            var account = new Account { Name = "a1", Platform = Platforms.Anthropic, Type = AccountTypes.OAuth, Concurrency = 5 };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
        var slots = app.Services.GetRequiredService<IConcurrencySlots>();
        Assert.True(await slots.TryAcquireAsync(SlotScopes.Account(accountId), "r1", 5, CancellationToken.None));
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, DateTime.UtcNow.AddSeconds(-10), durationMs: 100),
            PortalArrange.Usage(userId, key, DateTime.UtcNow.AddSeconds(-20), durationMs: 300),
            PortalArrange.Usage(userId, key, DateTime.UtcNow.AddMinutes(-3), durationMs: 900));

        var realtime = (await admin.GetAsync("/api/v1/admin/dashboard/realtime")).Data;

        Assert.Equal(1, realtime.GetProperty("active_requests").GetInt64());
        Assert.Equal(2, realtime.GetProperty("requests_per_minute").GetInt64());
        Assert.Equal(200d, realtime.GetProperty("average_response_time").GetDouble());
        Assert.Equal(0d, realtime.GetProperty("error_rate").GetDouble());
    }
}

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sub2Api.Security;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Subscriptions;

/// <summary>
/// The app with its clock at <see cref="Start"/> (a fake clock the test moves), plus rows arranged directly:
/// subscription groups, users and subscriptions with seeded window usage.
/// </summary>
internal sealed class SubscriptionScenario : IAsyncDisposable
{
    public static readonly DateTime Start = new(2026, 6, 10, 12, 0, 0, DateTimeKind.Utc);
    public const string Password = "user-password-1";

    private readonly Sub2ApiFactory _app = new();
    private readonly WebApplicationFactory<Program> _clocked;

    public SubscriptionScenario()
    {
        _clocked = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Start));

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    // Only the clocked host is ever started: one app per test, not two.
    public async Task WithDbAsync(Func<Sub2ApiDbContext, Task> action)
    {
        await using var db = await _clocked.Services.GetRequiredService<IDbContextFactory<Sub2ApiDbContext>>().CreateDbContextAsync();
        await action(db);
    }

    public async Task<T> WithDbAsync<T>(Func<Sub2ApiDbContext, Task<T>> action)
    {
        await using var db = await _clocked.Services.GetRequiredService<IDbContextFactory<Sub2ApiDbContext>>().CreateDbContextAsync();
        return await action(db);
    }

    /// <summary>A client logged in now (tokens are stamped with the fake clock, so log in again after moving it far).</summary>
    public async Task<ApiClient> LoginAsync(string email, string password)
    {
        var login = await new ApiClient(_clocked.CreateClient()).PostAsync("/api/v1/auth/login", new { email, password });
        return new ApiClient(_clocked.CreateClient()).WithToken(login.Data.GetProperty("access_token").GetString()!);
    }

    public Task<ApiClient> AdminAsync() => LoginAsync(Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword);

    public ApiClient Anonymous() => new(_clocked.CreateClient());

    public Task<long> AdminIdAsync() =>
        WithDbAsync(db => db.Users.Where(u => u.Email == Sub2ApiFactory.AdminEmail).Select(u => u.Id).SingleAsync());

    public Task<long> AddUserAsync(string email, string username = "") => WithDbAsync(async db =>
    {
        var user = new User { Email = email, Username = username, PasswordHash = PasswordHasher.Hash(Password) };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    });

    public Task<long> AddGroupAsync(string name, decimal? daily = null, decimal? weekly = null, decimal? monthly = null,
        string type = SubscriptionTypes.Subscription, int defaultValidityDays = 30) => WithDbAsync(async db =>
    {
        var group = new Group
        {
            Name = name, SubscriptionType = type, DailyLimitUsd = daily, WeeklyLimitUsd = weekly, MonthlyLimitUsd = monthly,
            DefaultValidityDays = defaultValidityDays,
        };
        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return group.Id;
    });

    public Task<long> AddSubscriptionAsync(long userId, long groupId, DateTime expiresAt, string status = Statuses.Active,
        Action<UserSubscription>? configure = null) => WithDbAsync(async db =>
    {
        var subscription = new UserSubscription
        {
            UserId = userId, GroupId = groupId, StartsAt = Now.AddDays(-1), ExpiresAt = expiresAt, Status = status,
            AssignedAt = Now.AddDays(-1), Notes = "seeded",
        };
        configure?.Invoke(subscription);
        db.UserSubscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return subscription.Id;
    });

    public async ValueTask DisposeAsync()
    {
        await _clocked.DisposeAsync();
        await _app.DisposeAsync();
    }
}

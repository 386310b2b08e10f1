using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Contract;

/// <summary>What user routes must never show: the admin's notes, the client IP and the account's cost multiplier.</summary>
public sealed class UserFacingShapeTests
{
    [Fact]
    public async Task UserRoutes_NeverReturnNotes()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = (await admin.PostAsync("/api/v1/admin/users", new { email = "alice@example.com", password = "user-password-1", notes = "owes us money" })).Data;
        Assert.Equal("owes us money", created.GetProperty("notes").GetString());

        var login = await app.Api().PostAsync("/api/v1/auth/login", new { email = "alice@example.com", password = "user-password-1" });
        Assert.False(login.Data.GetProperty("user").TryGetProperty("notes", out _));
        var user = app.Api().WithToken(login.Data.GetProperty("access_token").GetString()!);
        foreach (var path in new[] { "/api/v1/auth/me", "/api/v1/user/profile" })
        {
            var body = (await user.GetAsync(path)).Body.ToString();
            Assert.DoesNotContain("notes", body);
            Assert.DoesNotContain("owes us money", body);
        }
    }

    [Fact]
    public async Task UserUsageRows_HaveNoIpOrAccountMultiplier_AdminRowsDo()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.AddUserAsync("alice@example.com");
        var key = await app.AddKeyAsync(userId);
        var row = PortalArrange.Usage(userId, key, DateTime.UtcNow);
        row.IpAddress = "203.0.113.9";
        row.AccountRateMultiplier = 0.3m;
        await app.AddUsageAsync(row);

        var mine = (await user.GetAsync("/api/v1/usage")).Data.GetProperty("items")[0];
        Assert.False(mine.TryGetProperty("ip_address", out _));
        Assert.False(mine.TryGetProperty("account_rate_multiplier", out _));
        var one = (await user.GetAsync($"/api/v1/usage/{mine.GetProperty("id").GetInt64()}")).Data;
        Assert.False(one.TryGetProperty("ip_address", out _));
        Assert.False(one.TryGetProperty("account_rate_multiplier", out _));

        var adminRow = (await admin.GetAsync("/api/v1/admin/usage")).Data.GetProperty("items")[0];
        Assert.Equal("203.0.113.9", adminRow.GetProperty("ip_address").GetString());
        Assert.Equal(0.3m, adminRow.GetProperty("account_rate_multiplier").GetDecimal());
        foreach (var nested in new[] { "user", "api_key", "group", "account" })
        {
            Assert.True(adminRow.TryGetProperty(nested, out _), nested);
        }
    }
}

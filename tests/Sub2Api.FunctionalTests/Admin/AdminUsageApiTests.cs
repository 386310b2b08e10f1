using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Admin;

public sealed class AdminUsageApiTests
{
    private static readonly DateTime Day = new(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task List_AllUsersRows_PaginatedNewestFirst()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, aliceKey, Day, totalCost: 1m),
            PortalArrange.Usage(bobId, bobKey, Day.AddHours(1), totalCost: 2m),
            PortalArrange.Usage(aliceId, aliceKey, Day.AddHours(2), totalCost: 4m));

        var page = (await admin.GetAsync("/api/v1/admin/usage?page_size=2")).Data;
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("page_size").GetInt32());
        Assert.Equal(2, page.GetProperty("pages").GetInt32());
        Assert.Equal([4m, 2m], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("total_cost").GetDecimal()));

        var bobs = (await admin.GetAsync($"/api/v1/admin/usage?user_id={bobId}")).Data;
        Assert.Equal(bobId, Assert.Single(bobs.GetProperty("items").EnumerateArray()).GetProperty("user_id").GetInt64());
    }

    [Fact]
    public async Task List_RowsNameTheirUserKeyAccountAndGroup()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("alice@example.com");
        var key = await app.AddKeyAsync(userId, "laptop");
        var groupId = await app.AddGroupAsync("team");
        var accountId = await app.WithDbAsync(async db =>
        {
            var account = new Account { Name = "claude-max-1", Platform = Platforms.Anthropic, Type = AccountTypes.OAuth };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            (await db.ApiKeys.FindAsync(key))!.DeletedAt = Day; // history keeps a deleted key's name
            await db.SaveChangesAsync();
            return account.Id;
        });
        var grouped = PortalArrange.Usage(userId, key, Day.AddHours(1));
        grouped.AccountId = accountId;
        grouped.GroupId = groupId;
        var orphan = PortalArrange.Usage(userId, key, Day);
        orphan.AccountId = 424242; // an account that no longer exists
        await app.AddUsageAsync(grouped, orphan);

        var items = (await admin.GetAsync($"/api/v1/admin/usage?user_id={userId}")).Data.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(2, items.Count);
        var first = items[0];
        Assert.Equal(userId, first.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal("alice@example.com", first.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal(key, first.GetProperty("api_key").GetProperty("id").GetInt64());
        Assert.Equal("laptop", first.GetProperty("api_key").GetProperty("name").GetString());
        Assert.Equal("claude-max-1", first.GetProperty("account").GetProperty("name").GetString());
        Assert.Equal("anthropic", first.GetProperty("account").GetProperty("platform").GetString());
        Assert.Equal(groupId, first.GetProperty("group").GetProperty("id").GetInt64());
        Assert.Equal("team", first.GetProperty("group").GetProperty("name").GetString());
        Assert.Equal(accountId, first.GetProperty("account_id").GetInt64()); // the flat fields stay
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("group").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("account").ValueKind);
        Assert.Equal("laptop", items[1].GetProperty("api_key").GetProperty("name").GetString());
        Assert.False(first.GetProperty("user").TryGetProperty("password_hash", out _));
    }

    [Fact]
    public async Task Stats_ManyTenthsAndTenDecimalPlaces_SumExactly()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        // 0.1 summed ten times is 0.9999999999999999 in binary floating point.
        var rows = Enumerable.Range(0, 10).Select(i => PortalArrange.Usage(userId, key, Day.AddMinutes(i), 0.1m, 0.0000012345m, input: 1)).ToArray();
        await app.AddUsageAsync(rows);

        var stats = (await admin.GetAsync("/api/v1/admin/usage/stats")).Data;
        Assert.Equal(10, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(1m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0.000012345m, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal("1", stats.GetProperty("total_cost").GetRawText());
        Assert.Equal("0.000012345", stats.GetProperty("total_actual_cost").GetRawText());
    }

    [Fact]
    public async Task Stats_EachFilter_NarrowsTheTotals()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        var a = PortalArrange.Usage(aliceId, aliceKey, Day, totalCost: 1m);
        var b = PortalArrange.Usage(aliceId, aliceKey, Day.AddDays(1), totalCost: 2m, model: "gpt-5");
        b.Stream = true;
        b.AccountId = 7;
        var c = PortalArrange.Usage(bobId, bobKey, Day.AddDays(2), totalCost: 4m);
        c.GroupId = 3;
        c.BillingType = BillingTypes.Subscription;
        await app.AddUsageAsync(a, b, c);

        async Task<decimal> Cost(string query) =>
            (await admin.GetAsync($"/api/v1/admin/usage/stats?{query}")).Data.GetProperty("total_cost").GetDecimal();
        Assert.Equal(7m, await Cost(""));
        Assert.Equal(3m, await Cost($"user_id={aliceId}"));
        Assert.Equal(4m, await Cost($"api_key_id={bobKey}"));
        Assert.Equal(2m, await Cost("account_id=7"));
        Assert.Equal(4m, await Cost("group_id=3"));
        Assert.Equal(2m, await Cost("model=gpt-5"));
        Assert.Equal(2m, await Cost("stream=true"));
        Assert.Equal(5m, await Cost("stream=false"));
        Assert.Equal(4m, await Cost("billing_type=1"));
        Assert.Equal(6m, await Cost("start_date=2026-05-02"));
        Assert.Equal(3m, await Cost("end_date=2026-05-02"));
        Assert.Equal(2m, await Cost("start_date=2026-05-02&end_date=2026-05-02"));
        Assert.Equal(0m, await Cost("user_id=424242"));
    }

    [Theory]
    [InlineData("/api/v1/admin/usage?start_date=2026/05/01", "start_date must be YYYY-MM-DD")]
    [InlineData("/api/v1/admin/usage/stats?end_date=05-01-2026", "end_date must be YYYY-MM-DD")]
    [InlineData("/api/v1/admin/usage?user_id=x", "user_id")]
    [InlineData("/api/v1/admin/usage/stats?account_id=-3", "account_id")]
    [InlineData("/api/v1/admin/usage/stats?end_time=noon", "end_time")]
    public async Task BadQuery_Is400NamingTheParameter(string path, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.GetAsync(path);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public async Task AdminUsage_UserToken_Is403_NoToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        (await user.GetAsync("/api/v1/admin/usage")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync("/api/v1/admin/usage/stats")).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync("/api/v1/admin/usage")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().GetAsync("/api/v1/admin/usage/stats")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Stats_Empty_IsAllZeros()
    {
        await using var app = new Sub2ApiFactory();
        var stats = (await (await app.AdminAsync()).GetAsync("/api/v1/admin/usage/stats")).Data;
        foreach (var field in new[] { "total_requests", "total_input_tokens", "total_output_tokens", "total_cache_creation_tokens",
            "total_cache_read_tokens", "total_cache_tokens", "total_tokens" })
        {
            Assert.Equal(0, stats.GetProperty(field).GetInt64());
        }
        Assert.Equal(0m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0m, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("average_duration_ms").ValueKind);
    }
}

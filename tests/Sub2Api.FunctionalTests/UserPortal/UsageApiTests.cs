using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.UserPortal;

public sealed class UsageApiTests
{
    private static readonly DateTime Day = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Stats_TenDecimalPlaceCosts_SumExactly()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, Day, 0.0000012345m, 0.0000006172m, input: 10, output: 20, durationMs: 100),
            PortalArrange.Usage(userId, key, Day.AddMinutes(1), 0.0000012345m, 0.0000006173m, input: 1, output: 2, durationMs: 201),
            PortalArrange.Usage(userId, key, Day.AddMinutes(2), 0.1000000001m, 0.0500000001m));

        var stats = (await user.GetAsync("/api/v1/usage/stats")).Data;

        Assert.Equal(3, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(11, stats.GetProperty("total_input_tokens").GetInt64());
        Assert.Equal(22, stats.GetProperty("total_output_tokens").GetInt64());
        Assert.Equal(33, stats.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.1000024691m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0.0500012346m, stats.GetProperty("total_actual_cost").GetDecimal());
        Assert.Equal(150.5, stats.GetProperty("average_duration_ms").GetDouble());
    }

    [Fact]
    public async Task Stats_CacheTokens_CountTowardsTotal()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        var row = PortalArrange.Usage(userId, key, Day, input: 1, output: 2);
        row.CacheCreationTokens = 40;
        row.CacheReadTokens = 300;
        await app.AddUsageAsync(row);

        var stats = (await user.GetAsync("/api/v1/usage/stats")).Data;
        Assert.Equal(40, stats.GetProperty("total_cache_creation_tokens").GetInt64());
        Assert.Equal(300, stats.GetProperty("total_cache_read_tokens").GetInt64());
        Assert.Equal(340, stats.GetProperty("total_cache_tokens").GetInt64());
        Assert.Equal(343, stats.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task Stats_NoRows_AreZeros()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var stats = (await user.GetAsync("/api/v1/usage/stats?period=today")).Data;
        Assert.Equal(0, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(0m, stats.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0d, stats.GetProperty("average_duration_ms").GetDouble());
    }

    [Fact]
    public async Task ListAndStats_OtherUsersRows_AreInvisible()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, aliceId) = await app.AddUserAsync("alice@example.com");
        var (_, bobId) = await app.AddUserAsync("bob@example.com");
        var aliceKey = await app.AddKeyAsync(aliceId);
        var bobKey = await app.AddKeyAsync(bobId);
        await app.AddUsageAsync(
            PortalArrange.Usage(aliceId, aliceKey, Day, totalCost: 1m),
            PortalArrange.Usage(bobId, bobKey, Day, totalCost: 2m));
        var bobRowId = await app.WithDbAsync(db => Task.FromResult(db.UsageLogs.Single(u => u.UserId == bobId).Id));

        var list = (await alice.GetAsync($"/api/v1/usage?user_id={bobId}")).Data;
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal(aliceId, list.GetProperty("items")[0].GetProperty("user_id").GetInt64());
        Assert.Equal(1m, (await alice.GetAsync("/api/v1/usage/stats")).Data.GetProperty("total_cost").GetDecimal());
        (await alice.GetAsync($"/api/v1/usage/{bobRowId}")).ShouldFail(HttpStatusCode.NotFound);
        (await alice.GetAsync($"/api/v1/usage?api_key_id={bobKey}")).ShouldFail(HttpStatusCode.NotFound);
        (await alice.GetAsync($"/api/v1/usage/stats?api_key_id={bobKey}")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_PaginatedNewestFirst_WithAllFields()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        var rows = Enumerable.Range(0, 5).Select(i => PortalArrange.Usage(userId, key, Day.AddMinutes(i), totalCost: i)).ToArray();
        rows[4].CacheCreation5mTokens = 7;
        rows[4].CacheCreation1hTokens = 9;
        rows[4].ReasoningEffort = "high";
        rows[4].FirstTokenMs = 42;
        await app.AddUsageAsync(rows);

        var page = (await user.GetAsync("/api/v1/usage?page=1&page_size=2")).Data;
        Assert.Equal(5, page.GetProperty("total").GetInt64());
        Assert.Equal(3, page.GetProperty("pages").GetInt32());
        Assert.Equal(2, page.GetProperty("page_size").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([4m, 3m], items.Select(i => i.GetProperty("total_cost").GetDecimal()));
        var newest = items[0];
        Assert.Equal(7, newest.GetProperty("cache_creation_5m_tokens").GetInt64());
        Assert.Equal(9, newest.GetProperty("cache_creation_1h_tokens").GetInt64());
        Assert.Equal("high", newest.GetProperty("reasoning_effort").GetString());
        Assert.Equal(42, newest.GetProperty("first_token_ms").GetInt32());
        Assert.Equal(key, newest.GetProperty("api_key_id").GetInt64());
        foreach (var field in new[] { "request_id", "model", "billing_type", "stream", "image_count", "created_at" })
        {
            Assert.True(newest.TryGetProperty(field, out _), field);
        }

        var one = (await user.GetAsync($"/api/v1/usage/{newest.GetProperty("id").GetInt64()}")).Data;
        Assert.Equal(newest.GetProperty("request_id").GetString(), one.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task List_DateAndModelAndKeyFilters_Apply()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId, "a");
        var other = await app.AddKeyAsync(userId, "b");
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, new DateTime(2026, 3, 9, 23, 59, 59, DateTimeKind.Utc), totalCost: 1m),
            PortalArrange.Usage(userId, key, new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc), totalCost: 2m),
            PortalArrange.Usage(userId, other, new DateTime(2026, 3, 11, 23, 59, 59, DateTimeKind.Utc), totalCost: 4m, model: "gpt-5"),
            PortalArrange.Usage(userId, key, new DateTime(2026, 3, 12, 0, 0, 0, DateTimeKind.Utc), totalCost: 8m));

        decimal Cost(System.Text.Json.JsonElement stats) => stats.GetProperty("total_cost").GetDecimal();
        Assert.Equal(6m, Cost((await user.GetAsync("/api/v1/usage/stats?start_date=2026-03-10&end_date=2026-03-11")).Data));
        Assert.Equal(4m, Cost((await user.GetAsync("/api/v1/usage/stats?model=gpt-5")).Data));
        Assert.Equal(11m, Cost((await user.GetAsync($"/api/v1/usage/stats?api_key_id={key}")).Data));
        Assert.Equal(3m, Cost((await user.GetAsync("/api/v1/usage/stats?start_time=2026-03-09T12:00:00Z&end_time=2026-03-11T00:00:00Z")).Data));
        var listed = (await user.GetAsync($"/api/v1/usage?api_key_id={key}&start_date=2026-03-10")).Data;
        Assert.Equal(2, listed.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("start_date=2026-13-01", "start_date must be YYYY-MM-DD")]
    [InlineData("end_date=yesterday", "end_date must be YYYY-MM-DD")]
    [InlineData("start_time=soon", "start_time")]
    [InlineData("api_key_id=abc", "api_key_id")]
    [InlineData("stream=maybe", "stream")]
    [InlineData("billing_type=7", "billing_type")]
    [InlineData("page_size=-1", "page_size")]
    [InlineData("start_date=2026-03-10&start_time=2026-03-10T00:00:00Z", "start_date")]
    [InlineData("start_date=2026-03-12&end_date=2026-03-10", "time range")]
    public async Task List_BadQuery_Is400NamingTheParameter(string query, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var result = await user.GetAsync($"/api/v1/usage?{query}");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
        if (!query.StartsWith("page", StringComparison.Ordinal))
        {
            (await user.GetAsync($"/api/v1/usage/stats?{query}")).ShouldFail(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Stats_Period_LimitsToRecentRows()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var key = await app.AddKeyAsync(userId);
        var now = DateTime.UtcNow;
        await app.AddUsageAsync(
            PortalArrange.Usage(userId, key, now.AddSeconds(-5), totalCost: 1m),
            PortalArrange.Usage(userId, key, now.AddDays(-3), totalCost: 2m),
            PortalArrange.Usage(userId, key, now.AddDays(-20), totalCost: 4m),
            PortalArrange.Usage(userId, key, now.AddDays(-90), totalCost: 8m));

        decimal Cost(System.Text.Json.JsonElement stats) => stats.GetProperty("total_cost").GetDecimal();
        Assert.Equal(3m, Cost((await user.GetAsync("/api/v1/usage/stats?period=week")).Data));
        Assert.Equal(7m, Cost((await user.GetAsync("/api/v1/usage/stats?period=month")).Data));
        Assert.Equal(15m, Cost((await user.GetAsync("/api/v1/usage/stats")).Data));
        (await user.GetAsync("/api/v1/usage/stats?period=year")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Usage_WithoutToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().GetAsync("/api/v1/usage")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().GetAsync("/api/v1/usage/stats")).ShouldFail(HttpStatusCode.Unauthorized);
    }
}

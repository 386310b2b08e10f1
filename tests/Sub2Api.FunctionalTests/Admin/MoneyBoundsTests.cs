using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// Every money value and multiplier the API accepts is bounded (0 to 999,999,999,999 for amounts, 0 to 10,000
/// for multipliers, at most 12 decimal places), so nothing stored can later overflow a sum or a column.
/// </summary>
public sealed class MoneyBoundsTests
{
    private const string Users = "/api/v1/admin/users";

    private static readonly (string Method, string Path, string Body, string Field)[] OutOfBounds =
    [
        // method, path ({user}, {group}, {account}, {key} are filled in), body, the field the message must name
        ("POST", Users, """{"email":"n1@example.com","password":"user-password-1","balance":7.9e28}""", "balance"),
        ("POST", Users, """{"email":"n2@example.com","password":"user-password-1","balance":1000000000000}""", "balance"),
        ("POST", Users, """{"email":"n3@example.com","password":"user-password-1","balance":-0.01}""", "balance"),
        ("POST", Users, """{"email":"n4@example.com","password":"user-password-1","balance":0.0000000000001}""", "balance"),
        ("PUT", Users + "/{user}", """{"group_rates":{"{group}":10001}}""", "group_rates"),
        ("PUT", Users + "/{user}", """{"group_rates":{"{group}":-1}}""", "group_rates"),
        ("POST", Users + "/{user}/balance", """{"operation":"set","balance":7.9e28}""", "balance"),
        ("POST", Users + "/{user}/balance", """{"operation":"add","balance":0.0000000000001}""", "balance"),
        ("POST", Users + "/{user}/balance", """{"operation":"subtract","balance":-5}""", "balance"),
        ("POST", "/api/v1/admin/groups", """{"name":"g-rate","rate_multiplier":10000.5}""", "rate_multiplier"),
        ("PUT", "/api/v1/admin/groups/{group}", """{"daily_limit_usd":1e12}""", "daily_limit_usd"),
        ("PUT", "/api/v1/admin/groups/{group}", """{"weekly_limit_usd":-1}""", "weekly_limit_usd"),
        ("PUT", "/api/v1/admin/groups/{group}", """{"monthly_limit_usd":1.0000000000001}""", "monthly_limit_usd"),
        ("PUT", "/api/v1/admin/groups/{group}", """{"image_price_4k":7.9e28}""", "image_price_4k"),
        ("PUT", "/api/v1/admin/accounts/{account}", """{"rate_multiplier":20000}""", "rate_multiplier"),
        ("PUT", "/api/v1/admin/settings", """{"default_balance":7.9e28}""", "default_balance"),
        ("PUT", "/api/v1/admin/settings", """{"default_balance":0.1234567890123}""", "default_balance"),
        ("POST", "/api/v1/keys", """{"name":"k","quota":7.9e28}""", "quota"),
        ("PUT", "/api/v1/keys/{key}", """{"quota":1e12}""", "quota"),
        ("PUT", "/api/v1/keys/{key}", """{"quota":1e309}""", "quota"),
    ];

    [Fact]
    public async Task OutOfBounds_Is400NamingTheField_AndChangesNothing()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var group = (await admin.PostAsync("/api/v1/admin/groups", new { name = "g" })).Data.GetProperty("id").GetInt64();
        var (userClient, user) = await app.CreateUserAsync("money@example.com", balance: 5m);
        var account = (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = "a", platform = "anthropic", type = "apikey", credentials = new { api_key = "sk-test" },
        })).Data.GetProperty("id").GetInt64();
        var key = (await userClient.PostAsync("/api/v1/keys", new { name = "k" })).Data.GetProperty("id").GetInt64();
        string Fill(string text) => text.Replace("{user}", $"{user}").Replace("{group}", $"{group}")
            .Replace("{account}", $"{account}").Replace("{key}", $"{key}");

        foreach (var (method, path, body, field) in OutOfBounds)
        {
            var client = path.StartsWith("/api/v1/keys", StringComparison.Ordinal) ? userClient : admin;
            var result = await client.SendRawAsync(new HttpMethod(method), Fill(path), Fill(body));
            Assert.True(result.Status == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)result.Status} {result.Body}");
            result.ShouldFail(HttpStatusCode.BadRequest);
            Assert.Contains(field, result.Message);
        }

        var stored = (await admin.GetAsync($"{Users}/{user}")).Data;
        Assert.Equal(5m, stored.GetProperty("balance").GetDecimal());
        Assert.Empty(stored.GetProperty("group_rates").EnumerateObject());
        Assert.Equal(2, (await admin.GetAsync(Users)).Data.GetProperty("total").GetInt64()); // the admin and the one user
        var storedGroup = (await admin.GetAsync($"/api/v1/admin/groups/{group}")).Data;
        Assert.Equal(1m, storedGroup.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, storedGroup.GetProperty("daily_limit_usd").ValueKind);
        Assert.Equal(0m, (await userClient.GetAsync($"/api/v1/keys/{key}")).Data.GetProperty("quota").GetDecimal());
        Assert.Equal(0m, (await admin.GetAsync("/api/v1/admin/settings")).Data.GetProperty("default_balance").GetDecimal());
    }

    [Fact]
    public async Task Bounds_AreInclusive()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = await admin.PostAsync(Users, new { email = "max@example.com", password = "user-password-1", balance = 999_999_999_999m });
        Assert.Equal(999_999_999_999m, created.Data.GetProperty("balance").GetDecimal());
        var group = await admin.PostAsync("/api/v1/admin/groups", new { name = "g", rate_multiplier = 10_000m, daily_limit_usd = 0.000000000001m });
        Assert.Equal(10_000m, group.Data.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal(0.000000000001m, group.Data.GetProperty("daily_limit_usd").GetDecimal());
        // Trailing zeros beyond 12 places change nothing, so they are not "more precision".
        var trailing = await admin.SendRawAsync(HttpMethod.Put, "/api/v1/admin/settings", """{"default_balance":1.50000000000000000}""");
        Assert.Equal(1.5m, trailing.Data.GetProperty("default_balance").GetDecimal());
    }

    [Fact]
    public async Task Add_PastTheBound_Is400AndLeavesTheBalance()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, user) = await app.CreateUserAsync("rich@example.com", balance: 999_999_999_000m);

        var result = await admin.PostAsync($"{Users}/{user}/balance", new { operation = "add", balance = 1_000.5m });

        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("balance", result.Message);
        Assert.Equal(999_999_999_000m, (await admin.GetAsync($"{Users}/{user}")).Data.GetProperty("balance").GetDecimal());
        var history = (await admin.GetAsync($"{Users}/{user}/balance-history")).Data;
        Assert.Equal(0, history.GetProperty("total").GetInt64());
        // Up to the bound exactly is fine.
        var filled = await admin.PostAsync($"{Users}/{user}/balance", new { operation = "add", balance = 999m });
        Assert.Equal(999_999_999_999m, filled.Data.GetProperty("balance").GetDecimal());
    }
}

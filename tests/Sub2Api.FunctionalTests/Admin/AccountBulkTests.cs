using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>Batch create, bulk update and batch credential updates of accounts.</summary>
public sealed class AccountBulkTests
{
    private const string Accounts = "/api/v1/admin/accounts";
    private const string ApiKey = "sk-ant-api03-bulk-secret-0123456789abcdef";

    private static async Task<long> CreateAsync(ApiClient admin, string name, int priority = 50, int concurrency = 3,
        decimal rate = 1m, string platform = "anthropic", string baseUrl = "https://old.example.com") =>
        (await admin.PostAsync(Accounts, new
        {
            name,
            platform,
            type = "apikey",
            credentials = new { api_key = ApiKey + name, base_url = baseUrl },
            priority,
            concurrency,
            rate_multiplier = rate,
            notes = "note of " + name,
        })).Data.GetProperty("id").GetInt64();

    private static async Task<JsonElement> GetAsync(ApiClient admin, long id) => (await admin.GetAsync($"{Accounts}/{id}")).Data;

    private static async Task<long> GroupAsync(ApiClient admin, string name, string platform = "anthropic") =>
        (await admin.PostAsync("/api/v1/admin/groups", new { name, platform })).Data.GetProperty("id").GetInt64();

    private static string Snapshot(JsonElement a, params string[] fields) =>
        string.Join("|", fields.Select(f => a.GetProperty(f).ToString()));

    private static readonly string[] Untouched = ["name", "notes", "platform", "type", "concurrency", "rate_multiplier", "status", "proxy_id", "group_ids", "credentials"];

    [Fact]
    public async Task BulkUpdate_ChangesExactlyTheGivenFields_OfExactlyTheGivenAccounts()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var a = await CreateAsync(admin, "a", priority: 10, concurrency: 2, rate: 1.5m);
        var b = await CreateAsync(admin, "b", priority: 20, concurrency: 4, rate: 2m);
        var c = await CreateAsync(admin, "c", priority: 30);
        var before = new Dictionary<long, JsonElement> { [a] = await GetAsync(admin, a), [b] = await GetAsync(admin, b), [c] = await GetAsync(admin, c) };

        var result = (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { a, b }, priority = 7, schedulable = false })).Data;
        Assert.Equal(2, result.GetProperty("success").GetInt32());
        Assert.Equal(0, result.GetProperty("failed").GetInt32());
        Assert.Equal([a, b], result.GetProperty("success_ids").EnumerateArray().Select(e => e.GetInt64()));

        foreach (var id in new[] { a, b })
        {
            var after = await GetAsync(admin, id);
            Assert.Equal(7, after.GetProperty("priority").GetInt32());
            Assert.False(after.GetProperty("schedulable").GetBoolean());
            Assert.Equal(Snapshot(before[id], Untouched), Snapshot(after, Untouched));
        }
        var untouched = await GetAsync(admin, c);
        Assert.Equal(30, untouched.GetProperty("priority").GetInt32());
        Assert.True(untouched.GetProperty("schedulable").GetBoolean());
    }

    [Fact]
    public async Task BulkUpdate_SetsProxyGroupsStatusAndMergesCredentials()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var a = await CreateAsync(admin, "a");
        var maskedKey = (await GetAsync(admin, a)).GetProperty("credentials").GetProperty("api_key").GetString();
        var proxy = (await admin.PostAsync("/api/v1/admin/proxies", new { name = "p", protocol = "http", host = "10.9.9.9", port = 3128 }))
            .Data.GetProperty("id").GetInt64();
        var group = await GroupAsync(admin, "claude-bulk");

        var result = (await admin.PostAsync($"{Accounts}/bulk-update", new
        {
            account_ids = new[] { a },
            proxy_id = proxy,
            group_ids = new[] { group },
            status = "inactive",
            rate_multiplier = 0.5m,
            credentials = new { base_url = "https://new.example.com" },
        })).Data;
        Assert.Equal(1, result.GetProperty("success").GetInt32());
        var after = await GetAsync(admin, a);
        Assert.Equal(proxy, after.GetProperty("proxy_id").GetInt64());
        Assert.Equal([group], after.GetProperty("group_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("disabled", after.GetProperty("status").GetString());
        Assert.Equal(0.5m, after.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal("https://new.example.com", after.GetProperty("credentials").GetProperty("base_url").GetString());
        Assert.Equal(maskedKey, after.GetProperty("credentials").GetProperty("api_key").GetString());

        // proxy_id 0 clears it.
        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { a }, proxy_id = 0 })).Data.GetProperty("success");
        Assert.Equal(JsonValueKind.Null, (await GetAsync(admin, a)).GetProperty("proxy_id").ValueKind);
    }

    [Fact]
    public async Task BulkUpdate_ReportsPerAccountFailures_AndRefusesBadInput()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var claude = await CreateAsync(admin, "claude");
        var openai = await CreateAsync(admin, "openai", platform: "openai");
        var claudeGroup = await GroupAsync(admin, "claude-only");

        var result = (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude, openai, 9999 }, group_ids = new[] { claudeGroup } })).Data;
        Assert.Equal(1, result.GetProperty("success").GetInt32());
        Assert.Equal(2, result.GetProperty("failed").GetInt32());
        var errors = result.GetProperty("results").EnumerateArray().Where(r => !r.GetProperty("success").GetBoolean())
            .ToDictionary(r => r.GetProperty("account_id").GetInt64(), r => r.GetProperty("error").GetString());
        Assert.Contains("cannot hold openai accounts", errors[openai]);
        Assert.Contains("not found", errors[9999]);
        Assert.Empty((await GetAsync(admin, openai)).GetProperty("group_ids").EnumerateArray());

        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = Array.Empty<long>(), priority = 1 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude }, proxy_id = 4242 })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude }, status = "gone" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude }, group_ids = new[] { 777 } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude }, credentials = "x" })).ShouldFail(HttpStatusCode.BadRequest);

        var (user, _) = await app.CreateUserAsync("bulk-user@example.com");
        (await user.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { claude }, priority = 1 })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Accounts}/batch", new { accounts = Array.Empty<object>() })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { claude } })).ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BatchCreate_CreatesTheValidOnes_AndNamesTheErrors()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.PostAsync($"{Accounts}/batch", new
        {
            accounts = new object[]
            {
                new { name = "one", platform = "anthropic", type = "apikey", credentials = new { api_key = ApiKey + "1" } },
                new { name = "two", platform = "anthropic", type = "apikey", credentials = new { } },
                new { name = "three", platform = "anthropic", type = "apikey", credentials = new { api_key = ApiKey + "3" }, priority = 3 },
            },
        });
        var data = result.Data;
        Assert.Equal(2, data.GetProperty("success").GetInt32());
        Assert.Equal(1, data.GetProperty("failed").GetInt32());
        var results = data.GetProperty("results").EnumerateArray().ToList();
        Assert.True(results[0].GetProperty("id").GetInt64() > 0);
        Assert.Equal("two", results[1].GetProperty("name").GetString());
        Assert.Contains("credentials", results[1].GetProperty("error").GetString());
        Assert.DoesNotContain(ApiKey, result.Body.GetRawText());
        Assert.Equal(3, (await GetAsync(admin, results[2].GetProperty("id").GetInt64())).GetProperty("priority").GetInt32());
        Assert.Equal(2, (await admin.GetAsync(Accounts)).Data.GetProperty("total").GetInt64());

        (await admin.PostAsync($"{Accounts}/batch", new { accounts = Array.Empty<object>() })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/batch", new { })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task BatchUpdateCredentials_MergesKeys_OrSetsTheOriginalsSingleField()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var a = await CreateAsync(admin, "a");
        var b = await CreateAsync(admin, "b");
        var maskedKey = (await GetAsync(admin, a)).GetProperty("credentials").GetProperty("api_key").GetString();

        var result = (await admin.PostAsync($"{Accounts}/batch-update-credentials", new
        {
            account_ids = new[] { a, b },
            credentials = new { base_url = "https://rotated.example.com" },
        })).Data;
        Assert.Equal(2, result.GetProperty("success").GetInt32());
        foreach (var id in new[] { a, b })
        {
            Assert.Equal("https://rotated.example.com", (await GetAsync(admin, id)).GetProperty("credentials").GetProperty("base_url").GetString());
        }
        Assert.Equal(maskedKey, (await GetAsync(admin, a)).GetProperty("credentials").GetProperty("api_key").GetString());

        (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a }, field = "account_uuid", value = "uuid-123" }))
            .Data.GetProperty("success");
        Assert.Equal("uuid-123", (await GetAsync(admin, a)).GetProperty("extra").GetProperty("account_uuid").GetString());
        (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a }, field = "intercept_warmup_requests", value = true }))
            .Data.GetProperty("success");
        Assert.True((await GetAsync(admin, a)).GetProperty("credentials").GetProperty("intercept_warmup_requests").GetBoolean());

        var invalid = (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a }, credentials = new { base_url = "ftp://x" } })).Data;
        Assert.Equal(1, invalid.GetProperty("failed").GetInt32());
        (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a }, field = "intercept_warmup_requests", value = "yes" }))
            .ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a }, field = "api_key", value = "x" }))
            .ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/batch-update-credentials", new { account_ids = new[] { a, 9999 }, credentials = new { base_url = "https://x.example" } }))
            .ShouldFail(HttpStatusCode.NotFound);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>The account migration file: export, import into a fresh app, and the imported accounts relay.</summary>
public sealed class AccountDataTests
{
    private const string Accounts = "/api/v1/admin/accounts";
    private const string ProxyPassword = "pr0xy-pa55word-data-secret";

    [Fact]
    public async Task ExportThenImport_IntoAFreshApp_GivesEqualAccountsThatStillRelay_AndNoSecretInLogs()
    {
        await using var proxy = TestHttpProxy.Start("alice", ProxyPassword);
        await using var source = await RelayScenario.StartAsync();
        using var sourceLogs = source.CaptureLogs();
        var admin = await source.App.AdminAsync();
        var apiKey = $"sk-fake-ok-{Guid.NewGuid():N}";
        var proxyId = (await admin.PostAsync("/api/v1/admin/proxies", new
        {
            name = "exit", protocol = "http", host = "127.0.0.1", port = proxy.Port, username = "alice", password = ProxyPassword,
        })).Data.GetProperty("id").GetInt64();
        await admin.PostAsync(Accounts, new
        {
            name = "migrated",
            notes = "moves house",
            platform = "anthropic",
            type = "apikey",
            credentials = new { api_key = apiKey, base_url = source.Upstream.BaseUrl },
            proxy_id = proxyId,
            priority = 5,
            concurrency = 4,
            rate_multiplier = 1.5m,
            expires_at = 4102444800L,
            auto_pause_on_expired = false,
        });
        await admin.PostAsync(Accounts, new
        {
            name = "direct", platform = "anthropic", type = "apikey", credentials = new { api_key = "sk-fake-ok-direct-0123456789" },
        });

        var exported = await admin.GetAsync($"{Accounts}/data");
        var file = exported.Data;
        Assert.Equal("sub2api-data", file.GetProperty("type").GetString());
        Assert.Equal(2, file.GetProperty("accounts").GetArrayLength());
        Assert.Equal(1, file.GetProperty("proxies").GetArrayLength());
        // A migration file carries the secrets in clear: that is what makes the accounts work elsewhere.
        Assert.Contains(apiKey, exported.Body.GetRawText());
        Assert.Contains(ProxyPassword, exported.Body.GetRawText());
        Assert.Equal(1, (await admin.GetAsync($"{Accounts}/data?search=direct")).Data.GetProperty("accounts").GetArrayLength());
        Assert.Equal(0, (await admin.GetAsync($"{Accounts}/data?include_proxies=false")).Data.GetProperty("proxies").GetArrayLength());

        await using var target = await RelayScenario.StartAsync();
        using var targetLogs = target.CaptureLogs();
        var fresh = await target.App.AdminAsync();
        var imported = (await fresh.PostAsync($"{Accounts}/data", new { data = file, skip_default_group_bind = true })).Data;
        Assert.Equal(1, imported.GetProperty("proxy_created").GetInt32());
        Assert.Equal(2, imported.GetProperty("account_created").GetInt32());
        Assert.Equal(0, imported.GetProperty("account_failed").GetInt32());

        var again = (await fresh.GetAsync($"{Accounts}/data")).Data;
        Assert.Equal(file.GetProperty("proxies").GetRawText(), again.GetProperty("proxies").GetRawText());
        Assert.Equal(file.GetProperty("accounts").GetRawText(), again.GetProperty("accounts").GetRawText());

        // The imported account relays through the imported proxy with the imported key.
        var migrated = (await fresh.GetAsync($"{Accounts}?search=migrated")).Data.GetProperty("items")[0].GetProperty("id").GetInt64();
        (await fresh.PostAsync($"{Accounts}/bulk-update", new { account_ids = new[] { migrated }, group_ids = new[] { target.GroupId } })).Data.GetProperty("success");
        var (key, _, _) = await target.AddUserWithKeyAsync();
        var (status, body) = await target.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, $"{body} (proxy carried {proxy.Requests}, rejected {proxy.Rejected})");
        Assert.Equal(1, source.Upstream.CountFor(apiKey));
        Assert.True(proxy.Requests >= 1, $"the relay did not go through the proxy (rejected: {proxy.Rejected})");

        foreach (var line in sourceLogs.Messages.Concat(targetLogs.Messages))
        {
            Assert.DoesNotContain(apiKey, line);
            Assert.DoesNotContain(ProxyPassword, line);
        }
    }

    [Fact]
    public async Task Import_ValidatesEachAccountLikeCreate_AndReportsPerItemErrors()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var data = JsonNode.Parse("""
            {
              "type": "sub2api-data", "version": 1, "exported_at": "2026-01-01T00:00:00Z",
              "proxies": [
                {"proxy_key": "k1", "name": "p", "protocol": "http", "host": "10.1.1.1", "port": 8080, "status": "disabled"},
                {"proxy_key": "bad", "name": "q", "protocol": "ftp", "host": "10.1.1.2", "port": 21, "status": "active"}
              ],
              "accounts": [
                {"name": "good", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "sk-ant-good-0123456789"}, "proxy_key": "k1", "concurrency": 2, "priority": 9},
                {"name": "no-key", "platform": "anthropic", "type": "apikey", "credentials": {"base_url": "https://x.example"}, "concurrency": 1, "priority": 1},
                {"name": "lost-proxy", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "sk-ant-lost-0123456789"}, "proxy_key": "bad", "concurrency": 1, "priority": 1},
                {"name": "", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "concurrency": 1, "priority": 1},
                {"name": "weird", "platform": "anthropic", "type": "robot", "credentials": {"api_key": "k"}, "concurrency": 1, "priority": 1}
              ]
            }
            """);
        var result = await admin.PostAsync($"{Accounts}/data", new { data });
        var r = result.Data;
        Assert.Equal(1, r.GetProperty("proxy_created").GetInt32());
        Assert.Equal(1, r.GetProperty("proxy_failed").GetInt32());
        Assert.Equal(1, r.GetProperty("account_created").GetInt32());
        Assert.Equal(4, r.GetProperty("account_failed").GetInt32());
        var errors = r.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("message").GetString()}").ToList();
        Assert.Contains(errors, e => e.StartsWith("proxy:protocol", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("api_key is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("proxy_key not found", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("name is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("type must be one of", StringComparison.Ordinal));
        Assert.DoesNotContain("sk-ant-lost", result.Body.GetRawText());

        var good = (await admin.GetAsync($"{Accounts}?search=good")).Data.GetProperty("items")[0];
        Assert.Equal(9, good.GetProperty("priority").GetInt32());
        var proxyId = good.GetProperty("proxy_id").GetInt64();
        Assert.Equal("inactive", (await admin.GetAsync($"/api/v1/admin/proxies/{proxyId}")).Data.GetProperty("status").GetString());

        (await admin.PostAsync($"{Accounts}/data", new { data = new { version = 2, proxies = Array.Empty<object>(), accounts = Array.Empty<object>() } }))
            .ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Accounts}/data", new { data = new { proxies = Array.Empty<object>() } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Accounts}/data?ids=0")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Accounts}/data?include_proxies=perhaps")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Accounts}/data?platform=nope")).ShouldFail(HttpStatusCode.BadRequest);

        var (user, _) = await app.CreateUserAsync("data-user@example.com");
        (await user.GetAsync($"{Accounts}/data")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Accounts}/data", new { data })).ShouldFail(HttpStatusCode.Forbidden);
    }
}

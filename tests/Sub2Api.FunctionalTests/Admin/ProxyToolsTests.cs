using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>The proxy tools: a test through a real local proxy, stats, accounts, batch create/delete, the data file.</summary>
public sealed class ProxyToolsTests
{
    private const string Proxies = "/api/v1/admin/proxies";
    private const string Password = "pr0xy-pa55word-very-secret";

    private static async Task<long> CreateProxyAsync(ApiClient admin, int port, string? username = null, string? password = null,
        string name = "local", string status = "active") =>
        (await admin.PostAsync(Proxies, new { name, protocol = "http", host = "127.0.0.1", port, username, password, status }))
            .Data.GetProperty("id").GetInt64();

    private static async Task<long> CreateAccountAsync(ApiClient admin, string name, long? proxyId, string status = "active") =>
        (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name,
            platform = "anthropic",
            type = "apikey",
            credentials = new { api_key = "sk-ant-api03-" + name + "-0123456789abcdef" },
            proxy_id = proxyId,
            status,
        })).Data.GetProperty("id").GetInt64();

    private static int DeadPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Test_ThroughARealProxy_ReportsLatencyAndTheExitFromTheEcho()
    {
        await using var echo = await FakeIpEcho.StartAsync();
        await using var proxy = TestHttpProxy.Start("alice", Password);
        await using var app = new Sub2ApiFactory(settings: echo.Settings);
        var admin = await app.AdminAsync();
        var id = await CreateProxyAsync(admin, proxy.Port, "alice", Password);

        var result = await admin.PostAsync($"{Proxies}/{id}/test");
        var data = result.Data;
        Assert.True(data.GetProperty("success").GetBoolean(), data.ToString());
        Assert.Equal("Proxy is accessible", data.GetProperty("message").GetString());
        Assert.True(data.GetProperty("latency_ms").GetInt64() > 0);
        Assert.Equal(FakeIpEcho.ExitIp, data.GetProperty("ip_address").GetString());
        Assert.Equal(FakeIpEcho.City, data.GetProperty("city").GetString());
        Assert.Equal(FakeIpEcho.Region, data.GetProperty("region").GetString());
        Assert.Equal(FakeIpEcho.Country, data.GetProperty("country").GetString());
        Assert.Equal(FakeIpEcho.CountryCode, data.GetProperty("country_code").GetString());
        // It really went through the proxy, with the stored (decrypted) password.
        Assert.Equal(1, echo.Hits);
        Assert.True(proxy.Requests >= 1);
        Assert.DoesNotContain(Password, result.Body.GetRawText());
    }

    [Fact]
    public async Task Test_WrongProxyPassword_IsAFailedResultNotAnError()
    {
        await using var echo = await FakeIpEcho.StartAsync();
        await using var proxy = TestHttpProxy.Start("alice", Password);
        await using var app = new Sub2ApiFactory(settings: echo.Settings);
        var admin = await app.AdminAsync();
        var id = await CreateProxyAsync(admin, proxy.Port, "alice", "not-the-password-at-all");

        var result = await admin.PostAsync($"{Proxies}/{id}/test");
        var data = result.Data;
        Assert.False(data.GetProperty("success").GetBoolean());
        Assert.Contains("407", data.GetProperty("message").GetString());
        Assert.Equal(0, echo.Hits);
        Assert.DoesNotContain("not-the-password-at-all", result.Body.GetRawText());
    }

    [Fact]
    public async Task Test_DeadProxy_IsSuccessFalseWithAMessage()
    {
        await using var echo = await FakeIpEcho.StartAsync();
        await using var app = new Sub2ApiFactory(settings: echo.Settings);
        var admin = await app.AdminAsync();
        var id = await CreateProxyAsync(admin, DeadPort());

        var data = (await admin.PostAsync($"{Proxies}/{id}/test")).Data;
        Assert.False(data.GetProperty("success").GetBoolean());
        Assert.StartsWith("proxy connection failed", data.GetProperty("message").GetString());
        Assert.Equal(0, echo.Hits);
    }

    [Fact]
    public async Task Routes_UnknownIdIs404_BadIdIs400_UserIs403()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.PostAsync($"{Proxies}/999/test")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Proxies}/999/stats")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Proxies}/999/accounts")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync($"{Proxies}/abc/test")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Proxies}/-1/stats")).ShouldFail(HttpStatusCode.BadRequest);

        var (user, _) = await app.CreateUserAsync("plain@example.com");
        (await user.PostAsync($"{Proxies}/1/test")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Proxies}/batch", new { proxies = new[] { new { protocol = "http", host = "h.example", port = 80 } } }))
            .ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Proxies}/batch-delete", new { ids = new[] { 1 } })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{Proxies}/data")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Proxies}/data", new { data = new { proxies = Array.Empty<object>(), accounts = Array.Empty<object>() } }))
            .ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Status_InactiveRoundTrips_AndDisabledIsAnAlias()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateProxyAsync(admin, 3128, status: "inactive");
        Assert.Equal("inactive", (await admin.GetAsync($"{Proxies}/{id}")).Data.GetProperty("status").GetString());
        Assert.Equal("active", (await admin.PutAsync($"{Proxies}/{id}", new { status = "active" })).Data.GetProperty("status").GetString());
        Assert.Equal("inactive", (await admin.PutAsync($"{Proxies}/{id}", new { status = "disabled" })).Data.GetProperty("status").GetString());
        Assert.Equal(1, (await admin.GetAsync($"{Proxies}?status=inactive")).Data.GetProperty("total").GetInt64());
        Assert.Equal(0, (await admin.GetAsync($"{Proxies}?status=active")).Data.GetProperty("total").GetInt64());
        var bad = (await admin.PutAsync($"{Proxies}/{id}", new { status = "paused" })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("active, inactive", bad.Message);
    }

    [Fact]
    public async Task BatchCreate_CreatesEach_SkipsDuplicatesOfTheBatchAndOfExistingProxies()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await admin.PostAsync(Proxies, new { name = "old", protocol = "socks5", host = "10.0.0.1", port = 1080, username = "u", password = Password });

        var result = (await admin.PostAsync($"{Proxies}/batch", new
        {
            proxies = new object[]
            {
                new { protocol = "http", host = "10.0.0.2", port = 8080 },
                new { protocol = "socks5", host = " 10.0.0.3 ", port = 1080, username = "bob", password = "b0b-secret-password" },
                new { protocol = "http", host = "10.0.0.2", port = 8080 },
                new { protocol = "socks5", host = "10.0.0.1", port = 1080, username = "u", password = Password },
            },
        })).Data;
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(2, result.GetProperty("skipped").GetInt32());

        var list = (await admin.GetAsync($"{Proxies}?search=10.0.0.3")).Data.GetProperty("items")[0];
        Assert.Equal("10.0.0.3:1080", list.GetProperty("name").GetString());
        Assert.Equal("bob", list.GetProperty("username").GetString());
        Assert.NotEqual("b0b-secret-password", list.GetProperty("password").GetString());
        Assert.Equal(3, (await admin.GetAsync(Proxies)).Data.GetProperty("total").GetInt64());

        (await admin.PostAsync($"{Proxies}/batch", new { proxies = Array.Empty<object>() })).ShouldFail(HttpStatusCode.BadRequest);
        var bad = (await admin.PostAsync($"{Proxies}/batch", new
        {
            proxies = new object[] { new { protocol = "http", host = "ok.example", port = 80 }, new { protocol = "ftp", host = "h", port = 21 } },
        })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("proxies[1]", bad.Message);
        Assert.Equal(3, (await admin.GetAsync(Proxies)).Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task BatchDelete_DeletesFreeProxies_SkipsUsedAndUnknownOnes()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var free = await CreateProxyAsync(admin, 1001, name: "free");
        var used = await CreateProxyAsync(admin, 1002, name: "used");
        await CreateAccountAsync(admin, "on-proxy", used);

        var result = (await admin.PostAsync($"{Proxies}/batch-delete", new { ids = new[] { free, used, 4242 } })).Data;
        Assert.Equal([free], result.GetProperty("deleted_ids").EnumerateArray().Select(e => e.GetInt64()));
        var skipped = result.GetProperty("skipped").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetInt64(), e => e.GetProperty("reason").GetString());
        Assert.Contains("in use", skipped[used]);
        Assert.Contains("not found", skipped[4242]);
        (await admin.GetAsync($"{Proxies}/{free}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Proxies}/{used}")).Data.GetProperty("id");

        (await admin.PostAsync($"{Proxies}/batch-delete", new { ids = Array.Empty<long>() })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{Proxies}/batch-delete", new { })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AccountsAndStats_NameTheAccountsOnTheProxy_WithoutCredentials()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateProxyAsync(admin, 1003);
        var other = await CreateProxyAsync(admin, 1004, name: "other");
        await CreateAccountAsync(admin, "first", id);
        await CreateAccountAsync(admin, "second", id, status: "disabled");
        await CreateAccountAsync(admin, "elsewhere", other);

        var accounts = await admin.GetAsync($"{Proxies}/{id}/accounts");
        Assert.Equal(["first", "second"], accounts.Data.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("anthropic", accounts.Data[0].GetProperty("platform").GetString());
        Assert.Equal("apikey", accounts.Data[0].GetProperty("type").GetString());
        Assert.DoesNotContain("sk-ant", accounts.Body.GetRawText());
        Assert.False(accounts.Data[0].TryGetProperty("credentials", out _));

        var stats = (await admin.GetAsync($"{Proxies}/{id}/stats")).Data;
        Assert.Equal(2, stats.GetProperty("total_accounts").GetInt64());
        Assert.Equal(1, stats.GetProperty("active_accounts").GetInt64());
        Assert.Equal(0, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(100.0, stats.GetProperty("success_rate").GetDouble());

        var row = (await admin.GetAsync($"{Proxies}?search=local")).Data.GetProperty("items")[0];
        Assert.Equal(2, row.GetProperty("account_count").GetInt64());
    }

    [Fact]
    public async Task Data_ExportMasksPasswordsUnlessAsked_AndImportsIntoAFreshApp()
    {
        string masked, clear;
        await using (var source = new Sub2ApiFactory())
        {
            var admin = await source.AdminAsync();
            await CreateProxyAsync(admin, 2001, "alice", Password, name: "with-auth");
            await CreateProxyAsync(admin, 2002, name: "open", status: "inactive");
            var maskedResult = await admin.GetAsync($"{Proxies}/data");
            masked = maskedResult.Data.GetRawText();
            Assert.DoesNotContain(Password, masked);
            Assert.Equal("sub2api-data", maskedResult.Data.GetProperty("type").GetString());
            Assert.Equal(1, maskedResult.Data.GetProperty("version").GetInt32());
            Assert.Equal(0, maskedResult.Data.GetProperty("accounts").GetArrayLength());
            clear = (await admin.GetAsync($"{Proxies}/data?include_passwords=true")).Data.GetRawText();
            Assert.Contains(Password, clear);
            Assert.Equal(1, (await admin.GetAsync($"{Proxies}/data?status=inactive")).Data.GetProperty("proxies").GetArrayLength());

            // Re-importing the masked export into the same app recognises both proxies.
            var again = (await admin.PostAsync($"{Proxies}/data", new { data = JsonDocument.Parse(masked).RootElement })).Data;
            Assert.Equal(2, again.GetProperty("proxy_reused").GetInt32());
            Assert.Equal(0, again.GetProperty("proxy_created").GetInt32());
            (await admin.GetAsync($"{Proxies}/data?include_passwords=maybe")).ShouldFail(HttpStatusCode.BadRequest);
            (await admin.GetAsync($"{Proxies}/data?ids=1,x")).ShouldFail(HttpStatusCode.BadRequest);
        }

        await using var target = new Sub2ApiFactory();
        var fresh = await target.AdminAsync();
        var maskedImport = (await fresh.PostAsync($"{Proxies}/data", new { data = JsonDocument.Parse(masked).RootElement })).Data;
        Assert.Equal(1, maskedImport.GetProperty("proxy_created").GetInt32()); // the one without a password
        Assert.Equal(1, maskedImport.GetProperty("proxy_failed").GetInt32());
        Assert.Contains("include_passwords", maskedImport.GetProperty("errors")[0].GetProperty("message").GetString());

        var clearImport = (await fresh.PostAsync($"{Proxies}/data", new { data = JsonDocument.Parse(clear).RootElement })).Data;
        Assert.Equal(1, clearImport.GetProperty("proxy_created").GetInt32());
        Assert.Equal(1, clearImport.GetProperty("proxy_reused").GetInt32());
        var exported = (await fresh.GetAsync($"{Proxies}/data?include_passwords=true")).Data.GetProperty("proxies");
        var original = JsonDocument.Parse(clear).RootElement.GetProperty("proxies");
        static string[] Keys(JsonElement proxies) => [.. proxies.EnumerateArray()
            .Select(p => $"{p.GetProperty("proxy_key").GetString()}|{p.GetProperty("name").GetString()}|{p.GetProperty("status").GetString()}").Order()];
        Assert.Equal(Keys(original), Keys(exported));

        (await fresh.PostAsync($"{Proxies}/data", new { data = new { type = "other", proxies = Array.Empty<object>(), accounts = Array.Empty<object>() } }))
            .ShouldFail(HttpStatusCode.BadRequest);
        (await fresh.PostAsync($"{Proxies}/data", new { data = new { accounts = Array.Empty<object>() } })).ShouldFail(HttpStatusCode.BadRequest);
        (await fresh.PostAsync($"{Proxies}/data", new { })).ShouldFail(HttpStatusCode.BadRequest);
    }
}

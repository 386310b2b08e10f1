using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// The account list and detail name each account's groups and proxy (the admin page's columns) without ever showing
/// the proxy's credentials.
/// </summary>
public sealed class AccountReferencesTests
{
    private const string Accounts = "/api/v1/admin/accounts";
    private const string ProxyPassword = "proxy-password-very-secret";

    private static async Task<long> IdOf(Task<ApiResult> call) => (await call).Data.GetProperty("id").GetInt64();

    private static object Account(string name, long? proxyId, params long[] groupIds) => new
    {
        name,
        platform = "anthropic",
        type = "apikey",
        credentials = new { api_key = "sk-ant-api03-secret-" + name },
        proxy_id = proxyId,
        group_ids = groupIds,
    };

    private static JsonElement Row(JsonElement page, long id) =>
        page.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == id);

    [Fact]
    public async Task ListAndGet_NameGroupsAndProxy_WithoutProxyCredentials()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var alpha = await IdOf(admin.PostAsync("/api/v1/admin/groups", new { name = "alpha", platform = "anthropic" }));
        var beta = await IdOf(admin.PostAsync("/api/v1/admin/groups", new { name = "beta", platform = "anthropic" }));
        var proxy = await IdOf(admin.PostAsync("/api/v1/admin/proxies",
            new { name = "egress", protocol = "socks5", host = "10.0.0.7", port = 1080, username = "alice", password = ProxyPassword }));
        var both = await IdOf(admin.PostAsync(Accounts, Account("both", proxy, beta, alpha)));
        var bare = await IdOf(admin.PostAsync(Accounts, Account("bare", null)));
        var onlyBeta = await IdOf(admin.PostAsync(Accounts, Account("only-beta", null, beta)));

        var list = await admin.GetAsync(Accounts + "?page=1&page_size=20");
        Assert.DoesNotContain(ProxyPassword, list.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("alice", list.Body.GetRawText(), StringComparison.Ordinal);

        var row = Row(list.Data, both);
        Assert.Equal(["alpha", "beta"], row.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal([alpha, beta], row.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("id").GetInt64()));
        Assert.All(row.GetProperty("groups").EnumerateArray(), g => Assert.Equal("anthropic", g.GetProperty("platform").GetString()));
        var p = row.GetProperty("proxy");
        Assert.Equal(proxy, p.GetProperty("id").GetInt64());
        Assert.Equal("egress", p.GetProperty("name").GetString());
        Assert.Equal("socks5", p.GetProperty("protocol").GetString());
        Assert.Equal("10.0.0.7", p.GetProperty("host").GetString());
        Assert.Equal(1080, p.GetProperty("port").GetInt32());
        Assert.False(p.TryGetProperty("password", out _));
        Assert.False(p.TryGetProperty("username", out _));
        Assert.Equal(0, row.GetProperty("current_concurrency").GetInt32());

        var bareRow = Row(list.Data, bare);
        Assert.Equal(JsonValueKind.Null, bareRow.GetProperty("proxy").ValueKind);
        Assert.Empty(bareRow.GetProperty("groups").EnumerateArray());
        Assert.Equal("beta", Row(list.Data, onlyBeta).GetProperty("groups").EnumerateArray().Single().GetProperty("name").GetString());

        var got = await admin.GetAsync($"{Accounts}/{both}");
        Assert.DoesNotContain(ProxyPassword, got.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("egress", got.Data.GetProperty("proxy").GetProperty("name").GetString());
        Assert.Equal(2, got.Data.GetProperty("groups").GetArrayLength());
        var gotBare = await admin.GetAsync($"{Accounts}/{bare}");
        Assert.Equal(JsonValueKind.Null, gotBare.Data.GetProperty("proxy").ValueKind);
    }

    [Fact]
    public async Task List_AGroupRenamed_ShowsTheNewName_AndFiltersStillApply()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var group = await IdOf(admin.PostAsync("/api/v1/admin/groups", new { name = "before", platform = "anthropic" }));
        var account = await IdOf(admin.PostAsync(Accounts, Account("renamed-group", null, group)));
        await IdOf(admin.PostAsync(Accounts, Account("other", null)));
        _ = (await admin.PutAsync($"/api/v1/admin/groups/{group}", new { name = "after" })).Data;

        var list = await admin.GetAsync($"{Accounts}?group_id={group}");
        Assert.Equal(1, list.Data.GetProperty("total").GetInt64());
        Assert.Equal("after", Row(list.Data, account).GetProperty("groups")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreateAndUpdate_AnswerTheAccountWithItsGroupsAndProxy()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var group = await IdOf(admin.PostAsync("/api/v1/admin/groups", new { name = "gamma", platform = "anthropic" }));
        var proxy = await IdOf(admin.PostAsync("/api/v1/admin/proxies",
            new { name = "edge", protocol = "http", host = "10.0.0.8", port = 3128, username = "bob", password = ProxyPassword }));

        var created = await admin.PostAsync(Accounts, Account("made", proxy, group));
        Assert.Equal("gamma", created.Data.GetProperty("groups")[0].GetProperty("name").GetString());
        Assert.Equal("edge", created.Data.GetProperty("proxy").GetProperty("name").GetString());
        Assert.DoesNotContain(ProxyPassword, created.Body.GetRawText(), StringComparison.Ordinal);

        var id = created.Data.GetProperty("id").GetInt64();
        var updated = await admin.PutAsync($"{Accounts}/{id}", new { proxy_id = (long?)null, group_ids = Array.Empty<long>() });
        Assert.Equal(JsonValueKind.Null, updated.Data.GetProperty("proxy").ValueKind);
        Assert.Empty(updated.Data.GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task List_AsUser_Forbidden()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("plain-user@example.com");
        (await user.GetAsync(Accounts)).ShouldFail(HttpStatusCode.Forbidden);
    }
}

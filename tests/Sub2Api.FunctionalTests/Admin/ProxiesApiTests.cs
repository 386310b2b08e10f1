using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Admin;

public sealed class ProxiesApiTests
{
    private const string Proxies = "/api/v1/admin/proxies";
    private const string Password = "pr0xy-pa55word-very-secret";
    private const string MaskedPassword = "pr0xy…et";

    private static object ProxyBody(string name = "p1", string protocol = "socks5", string host = "10.1.2.3") =>
        new { name, protocol, host, port = 1080, username = "alice", password = Password };

    private static async Task<long> CreateAsync(ApiClient admin, object body) =>
        (await admin.PostAsync(Proxies, body)).Data.GetProperty("id").GetInt64();

    private static Task<string?> StoredPasswordAsync(Sub2ApiFactory app, long id) => app.WithDbAsync(async db =>
    {
        var stored = await db.Proxies.Where(p => p.Id == id).Select(p => p.PasswordEncrypted).SingleAsync();
        return stored is null ? null : app.Services.GetRequiredService<SecretProtector>().Unprotect(stored);
    });

    private static async Task<long> CreateAccountAsync(ApiClient admin, string name, long proxyId) =>
        (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name,
            platform = "openai",
            type = "apikey",
            credentials = new { api_key = "sk-proj-0123456789abcdef" },
            proxy_id = proxyId,
        })).Data.GetProperty("id").GetInt64();

    [Fact]
    public async Task Create_AllFields_ReturnsMaskedPasswordAndRoundTrips()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = await admin.PostAsync(Proxies, ProxyBody());
        var p = created.Data;
        Assert.DoesNotContain(Password, created.Body.GetRawText());
        Assert.Equal(MaskedPassword, p.GetProperty("password").GetString());

        var got = (await admin.GetAsync($"{Proxies}/{p.GetProperty("id").GetInt64()}")).Data;
        Assert.Equal("p1", got.GetProperty("name").GetString());
        Assert.Equal("socks5", got.GetProperty("protocol").GetString());
        Assert.Equal("10.1.2.3", got.GetProperty("host").GetString());
        Assert.Equal(1080, got.GetProperty("port").GetInt32());
        Assert.Equal("alice", got.GetProperty("username").GetString());
        Assert.Equal(MaskedPassword, got.GetProperty("password").GetString());
        Assert.Equal("active", got.GetProperty("status").GetString());
        Assert.Equal(0, got.GetProperty("account_count").GetInt64());
        Assert.True(got.TryGetProperty("created_at", out _));
        Assert.True(got.TryGetProperty("updated_at", out _));
    }

    [Fact]
    public async Task Create_WithoutCredentials_HasNullUsernameAndPassword()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var p = (await admin.PostAsync(Proxies, new { name = "open", protocol = "http", host = "proxy.example.com", port = 3128, status = "inactive" })).Data;
        Assert.Equal(JsonValueKind.Null, p.GetProperty("username").ValueKind);
        Assert.Equal(JsonValueKind.Null, p.GetProperty("password").ValueKind);
        Assert.Equal("inactive", p.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Create_PasswordIsStoredOnlyEncrypted()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ProxyBody());
        var column = await app.WithDbAsync(db => db.Proxies.Where(p => p.Id == id).Select(p => p.PasswordEncrypted).SingleAsync());
        Assert.NotNull(column);
        Assert.StartsWith("v1:", column);
        Assert.DoesNotContain(Password, column);
        Assert.Equal(Password, await StoredPasswordAsync(app, id));
    }

    [Fact]
    public async Task Responses_NeverContainThePasswordInClear()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = await admin.PostAsync(Proxies, ProxyBody());
        var id = created.Data.GetProperty("id").GetInt64();
        var responses = new[]
        {
            created,
            await admin.GetAsync($"{Proxies}/{id}"),
            await admin.GetAsync(Proxies),
            await admin.GetAsync($"{Proxies}/all"),
            await admin.PutAsync($"{Proxies}/{id}", new { name = "renamed" }),
        };
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.DoesNotContain(Password, response.Body.GetRawText());
        }
    }

    [Fact]
    public async Task Update_MaskedPasswordKeeps_NewPasswordReplaces_EmptyClears()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ProxyBody());

        var shown = (await admin.GetAsync($"{Proxies}/{id}")).Data.GetProperty("password").GetString();
        var kept = (await admin.PutAsync($"{Proxies}/{id}", new { password = shown, port = 1081 })).Data;
        Assert.Equal(MaskedPassword, kept.GetProperty("password").GetString());
        Assert.Equal(1081, kept.GetProperty("port").GetInt32());
        Assert.Equal(Password, await StoredPasswordAsync(app, id));

        _ = (await admin.PutAsync($"{Proxies}/{id}", new { name = "no password field" })).Data;
        Assert.Equal(Password, await StoredPasswordAsync(app, id));

        const string replacement = "another-long-secret-42";
        var replaced = await admin.PutAsync($"{Proxies}/{id}", new { password = replacement });
        Assert.DoesNotContain(replacement, replaced.Body.GetRawText());
        Assert.Equal(replacement, await StoredPasswordAsync(app, id));

        var cleared = (await admin.PutAsync($"{Proxies}/{id}", new { password = "", username = "" })).Data;
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("password").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("username").ValueKind);
        Assert.Null(await StoredPasswordAsync(app, id));
    }

    [Fact]
    public async Task Update_PartialBody_ChangesOnlyGivenFields()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ProxyBody());
        var p = (await admin.PutAsync($"{Proxies}/{id}", new { protocol = "socks5h", status = "disabled" })).Data;
        Assert.Equal("socks5h", p.GetProperty("protocol").GetString());
        // "disabled" is this project's old word for the original's "inactive": accepted, stored as "inactive".
        Assert.Equal("inactive", p.GetProperty("status").GetString());
        Assert.Equal("p1", p.GetProperty("name").GetString());
        Assert.Equal("10.1.2.3", p.GetProperty("host").GetString());
        Assert.Equal(1080, p.GetProperty("port").GetInt32());
        Assert.Equal("alice", p.GetProperty("username").GetString());
    }

    [Fact]
    public async Task List_Paginates_AndFiltersByProtocolStatusAndSearch()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await CreateAsync(admin, ProxyBody("tokyo", "socks5", "jp.example.net"));
        await CreateAsync(admin, ProxyBody("osaka", "http", "10.0.0.9"));
        await CreateAsync(admin, new { name = "frankfurt", protocol = "https", host = "de.example.net", port = 443, status = "disabled" });

        static IEnumerable<string?> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order();
        var page = (await admin.GetAsync($"{Proxies}?page=2&page_size=2")).Data;
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("page_size").GetInt32());
        Assert.Equal(2, page.GetProperty("pages").GetInt32());
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());

        Assert.Equal(["osaka"], Names((await admin.GetAsync($"{Proxies}?protocol=http")).Data));
        Assert.Equal(["frankfurt"], Names((await admin.GetAsync($"{Proxies}?status=inactive")).Data));
        Assert.Equal(["frankfurt"], Names((await admin.GetAsync($"{Proxies}?status=disabled")).Data));
        Assert.Equal(["frankfurt", "tokyo"], Names((await admin.GetAsync($"{Proxies}?search=EXAMPLE.net")).Data));
        Assert.Equal(["tokyo"], Names((await admin.GetAsync($"{Proxies}?search=tok")).Data));

        var all = (await admin.GetAsync($"{Proxies}/all?status=active")).Data;
        Assert.Equal(JsonValueKind.Array, all.ValueKind);
        Assert.Equal(["osaka", "tokyo"], all.EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
    }

    [Theory]
    [InlineData("protocol=ftp", "protocol")]
    [InlineData("status=broken", "status")]
    [InlineData("limit=0", "limit")]
    public async Task List_BadQuery_Is400NamingTheParameter(string query, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.GetAsync($"{Proxies}?{query}");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Theory]
    [InlineData("""{"protocol": "http", "host": "h.example", "port": 80}""", "name")]
    [InlineData("""{"name": "p", "host": "h.example", "port": 80}""", "protocol")]
    [InlineData("""{"name": "p", "protocol": "ftp", "host": "h.example", "port": 80}""", "protocol must be one of: http, https, socks5, socks5h")]
    [InlineData("""{"name": "p", "protocol": "http", "port": 80}""", "host")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "http://h.example:80", "port": 80}""", "host")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "h.example"}""", "port")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "h.example", "port": 0}""", "port")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "h.example", "port": 65536}""", "port")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "h.example", "port": "80"}""", "port")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "h.example", "port": 80, "status": "error"}""", "status")]
    [InlineData("""{"name": "p", "protocol": "http", "host": "h.example", "port": 80, "password": 1234}""", "password")]
    public async Task Create_InvalidField_Is400NamingTheField(string body, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.SendRawAsync(HttpMethod.Post, Proxies, body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
        Assert.Equal(0, (await admin.GetAsync(Proxies)).Data.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("")]
    [InlineData("""{"port": 70000}""")]
    [InlineData("""{"host": ""}""")]
    public async Task Update_BadBody_Is400_AndChangesNothing(string body)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ProxyBody());
        (await admin.SendRawAsync(HttpMethod.Put, $"{Proxies}/{id}", body)).ShouldFail(HttpStatusCode.BadRequest);
        var p = (await admin.GetAsync($"{Proxies}/{id}")).Data;
        Assert.Equal(1080, p.GetProperty("port").GetInt32());
        Assert.Equal("10.1.2.3", p.GetProperty("host").GetString());
    }

    [Fact]
    public async Task Delete_WhileAccountsUseIt_Is409NamingTheCount_ThenSucceedsOnceFree()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ProxyBody());
        var a1 = await CreateAccountAsync(admin, "a1", id);
        var a2 = await CreateAccountAsync(admin, "a2", id);
        Assert.Equal(2, (await admin.GetAsync($"{Proxies}/{id}")).Data.GetProperty("account_count").GetInt64());

        var refused = await admin.DeleteAsync($"{Proxies}/{id}");
        refused.ShouldFail(HttpStatusCode.Conflict);
        Assert.Contains("2 accounts", refused.Message);

        _ = (await admin.DeleteAsync($"/api/v1/admin/accounts/{a1}")).Data;
        _ = (await admin.SendRawAsync(HttpMethod.Put, $"/api/v1/admin/accounts/{a2}", """{"proxy_id": null}""")).Data;
        Assert.Equal(0, (await admin.GetAsync($"{Proxies}/{id}")).Data.GetProperty("account_count").GetInt64());

        _ = (await admin.DeleteAsync($"{Proxies}/{id}")).Data;
        (await admin.GetAsync($"{Proxies}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Empty((await admin.GetAsync($"{Proxies}/all")).Data.EnumerateArray());
        await app.WithDbAsync(async db =>
            Assert.NotNull((await db.Proxies.IgnoreQueryFilters().SingleAsync(p => p.Id == id)).DeletedAt));
        // A deleted proxy can no longer be assigned.
        var assign = await admin.PutAsync($"/api/v1/admin/accounts/{a2}", new { proxy_id = id });
        assign.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("proxy_id", assign.Message);
    }

    [Fact]
    public async Task UnknownId_Is404_ForGetUpdateAndDelete()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.GetAsync($"{Proxies}/12345")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{Proxies}/12345", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Proxies}/12345")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Proxies}/x")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminRoutes_NormalUser_Is403_AndAnonymous_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("u@example.com");
        (await user.GetAsync(Proxies)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{Proxies}/all")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync(Proxies, ProxyBody())).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync($"{Proxies}/all")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().PostAsync(Proxies, ProxyBody())).ShouldFail(HttpStatusCode.Unauthorized);
    }
}

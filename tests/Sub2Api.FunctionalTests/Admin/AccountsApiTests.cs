using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Admin;

public sealed class AccountsApiTests
{
    private const string Accounts = "/api/v1/admin/accounts";
    private const string Secret = "sk-ant-api03-very-secret-value-a1";
    private const string MaskedSecret = "sk-an…a1";

    private static object ApiKeyAccount(string name = "acc", string platform = "anthropic", long[]? groupIds = null) => new
    {
        name,
        platform,
        type = "apikey",
        credentials = new { api_key = Secret, base_url = "https://api.example.com", model_mapping = new { from = "to" } },
        group_ids = groupIds ?? [],
    };

    private static async Task<long> CreateAsync(ApiClient admin, object body) =>
        (await admin.PostAsync(Accounts, body)).Data.GetProperty("id").GetInt64();

    private static async Task<long> CreateGroupAsync(ApiClient admin, string name, string platform = "anthropic") =>
        (await admin.PostAsync("/api/v1/admin/groups", new { name, platform })).Data.GetProperty("id").GetInt64();

    private static Task<JsonObject> StoredCredentialsAsync(Sub2ApiFactory app, long id) => app.WithDbAsync(async db =>
    {
        var stored = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == id).Select(a => a.CredentialsEncrypted).SingleAsync();
        return app.Services.GetRequiredService<CredentialsCodec>().Unprotect(stored);
    });

    private static IEnumerable<long> Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64());

    [Fact]
    public async Task Create_ApiKeyAccount_ReturnsMaskedCredentialsAndDefaults()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.PostAsync(Accounts, ApiKeyAccount("claude-1"));
        var a = result.Data;
        Assert.DoesNotContain(Secret, result.Body.GetRawText());
        Assert.Equal("claude-1", a.GetProperty("name").GetString());
        Assert.Equal("", a.GetProperty("notes").GetString());
        Assert.Equal("anthropic", a.GetProperty("platform").GetString());
        Assert.Equal("apikey", a.GetProperty("type").GetString());
        var credentials = a.GetProperty("credentials");
        Assert.Equal(MaskedSecret, credentials.GetProperty("api_key").GetString());
        Assert.Equal("https://api.example.com", credentials.GetProperty("base_url").GetString());
        Assert.Equal("to", credentials.GetProperty("model_mapping").GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.Object, a.GetProperty("extra").ValueKind);
        Assert.Equal(JsonValueKind.Null, a.GetProperty("proxy_id").ValueKind);
        Assert.Equal(3, a.GetProperty("concurrency").GetInt32());
        Assert.Equal(50, a.GetProperty("priority").GetInt32());
        Assert.Equal(1m, a.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal("active", a.GetProperty("status").GetString());
        Assert.Equal("", a.GetProperty("error_message").GetString());
        Assert.Equal(JsonValueKind.Null, a.GetProperty("expires_at").ValueKind);
        Assert.True(a.GetProperty("auto_pause_on_expired").GetBoolean());
        Assert.True(a.GetProperty("schedulable").GetBoolean());
        Assert.Empty(a.GetProperty("group_ids").EnumerateArray());
        foreach (var field in new[] { "last_used_at", "rate_limited_at", "rate_limit_reset_at", "overload_until", "temp_unschedulable_until",
            "temp_unschedulable_reason", "session_window_start", "session_window_end", "session_window_status" })
        {
            Assert.Equal(JsonValueKind.Null, a.GetProperty(field).ValueKind);
        }
    }

    [Fact]
    public async Task Create_AllFields_RoundTripThroughGet()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var group = await CreateGroupAsync(admin, "g");
        var proxy = (await admin.PostAsync("/api/v1/admin/proxies", new { name = "p", protocol = "socks5", host = "10.0.0.1", port = 1080 })).Data.GetProperty("id").GetInt64();
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();
        var id = await CreateAsync(admin, new
        {
            name = "oauth-1",
            notes = "team seat",
            platform = "anthropic",
            type = "oauth",
            credentials = new { access_token = "sk-ant-oat01-access-token-xyz", refresh_token = "sk-ant-ort01-refresh-token-xyz", expires_at = "1767225600" },
            extra = new { account_uuid = "u-1", max_sessions = 3 },
            proxy_id = proxy,
            concurrency = 10,
            priority = 1,
            rate_multiplier = 0.5m,
            group_ids = new[] { group },
            expires_at = expires,
            auto_pause_on_expired = false,
            schedulable = false,
            status = "disabled",
        });

        var result = await admin.GetAsync($"{Accounts}/{id}");
        var a = result.Data;
        Assert.DoesNotContain("access-token-xyz", result.Body.GetRawText());
        Assert.DoesNotContain("refresh-token-xyz", result.Body.GetRawText());
        Assert.Equal("team seat", a.GetProperty("notes").GetString());
        Assert.Equal("oauth", a.GetProperty("type").GetString());
        Assert.Equal("1767225600", a.GetProperty("credentials").GetProperty("expires_at").GetString());
        Assert.Equal("u-1", a.GetProperty("extra").GetProperty("account_uuid").GetString());
        Assert.Equal(3, a.GetProperty("extra").GetProperty("max_sessions").GetInt32());
        Assert.Equal(proxy, a.GetProperty("proxy_id").GetInt64());
        Assert.Equal(10, a.GetProperty("concurrency").GetInt32());
        Assert.Equal(1, a.GetProperty("priority").GetInt32());
        Assert.Equal(0.5m, a.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal([group], Ids(a.GetProperty("group_ids")));
        Assert.Equal(expires, a.GetProperty("expires_at").GetInt64());
        Assert.False(a.GetProperty("auto_pause_on_expired").GetBoolean());
        Assert.False(a.GetProperty("schedulable").GetBoolean());
        Assert.Equal("disabled", a.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Create_SecretIsStoredOnlyEncrypted()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ApiKeyAccount());
        var column = await app.WithDbAsync(db => db.Accounts.Where(a => a.Id == id).Select(a => a.CredentialsEncrypted).SingleAsync());
        Assert.StartsWith("v1:", column);
        Assert.DoesNotContain(Secret, column);
        Assert.DoesNotContain("api.example.com", column);
        Assert.Equal(Secret, (await StoredCredentialsAsync(app, id))["api_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Responses_NeverContainTheSecretInClear()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = await admin.PostAsync(Accounts, ApiKeyAccount());
        var id = created.Data.GetProperty("id").GetInt64();
        var responses = new[]
        {
            created,
            await admin.GetAsync($"{Accounts}/{id}"),
            await admin.GetAsync(Accounts),
            await admin.PutAsync($"{Accounts}/{id}", new { name = "renamed" }),
        };
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.DoesNotContain(Secret, response.Body.GetRawText());
        }
        Assert.Equal(MaskedSecret, responses[2].Data.GetProperty("items")[0].GetProperty("credentials").GetProperty("api_key").GetString());
    }

    [Fact]
    public async Task Update_WithMaskedCredentials_KeepsStoredSecret()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ApiKeyAccount());

        // What an admin UI does: send back the credentials it was shown, with one field edited.
        var shown = JsonNode.Parse((await admin.GetAsync($"{Accounts}/{id}")).Data.GetProperty("credentials").GetRawText())!.AsObject();
        shown["base_url"] = "https://relay.example.org/v1";
        var updated = await admin.PutAsync($"{Accounts}/{id}", new { credentials = shown });
        Assert.Equal(MaskedSecret, updated.Data.GetProperty("credentials").GetProperty("api_key").GetString());

        var stored = await StoredCredentialsAsync(app, id);
        Assert.Equal(Secret, stored["api_key"]!.GetValue<string>());
        Assert.Equal("https://relay.example.org/v1", stored["base_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_WithNewSecret_ReplacesIt()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ApiKeyAccount());
        const string newSecret = "sk-ant-api03-brand-new-secret-zz";
        var updated = await admin.PutAsync($"{Accounts}/{id}", new { credentials = new { api_key = newSecret } });
        Assert.DoesNotContain(newSecret, updated.Body.GetRawText());
        Assert.Equal("sk-an…zz", updated.Data.GetProperty("credentials").GetProperty("api_key").GetString());
        var stored = await StoredCredentialsAsync(app, id);
        Assert.Equal(newSecret, stored["api_key"]!.GetValue<string>());
        Assert.False(stored.ContainsKey("base_url"));
    }

    [Fact]
    public async Task Create_UpstreamType_IsStoredAsApiKey()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var a = (await admin.PostAsync(Accounts, new
        {
            name = "kimi",
            platform = "anthropic",
            type = "upstream",
            credentials = new { api_key = Secret, base_url = "https://api.moonshot.example/anthropic" },
        })).Data;
        Assert.Equal("apikey", a.GetProperty("type").GetString());
        Assert.Equal(1, (await admin.GetAsync($"{Accounts}?type=upstream")).Data.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("""{"platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}}""", "name")]
    [InlineData("""{"name": "a", "type": "apikey", "credentials": {"api_key": "k"}}""", "platform")]
    [InlineData("""{"name": "a", "platform": "bedrock", "type": "apikey", "credentials": {"api_key": "k"}}""", "platform must be one of: anthropic, openai, gemini, antigravity")]
    [InlineData("""{"name": "a", "platform": "anthropic", "credentials": {"api_key": "k"}}""", "type")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "cookie", "credentials": {"api_key": "k"}}""", "type must be one of")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey"}""", "credentials")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {}}""", "credentials")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": "sk-abc"}""", "credentials")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"base_url": "https://x.example"}}""", "credentials.api_key")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": 12345678901234567890}}""", "credentials.api_key")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k", "refresh_token": {"t": "secret"}}}""", "credentials.refresh_token")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "oauth", "credentials": {"scope": "x"}}""", "credentials.access_token")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k", "base_url": "ftp://x.example"}}""", "credentials.base_url")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k", "base_url": "/relative"}}""", "credentials.base_url")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k", "model_mapping": {"a": 1}}}""", "credentials.model_mapping")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k", "model_mapping": ["a"]}}""", "credentials.model_mapping")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "extra": [1]}""", "extra")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "proxy_id": 999}""", "proxy_id")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "group_ids": [999]}""", "group_ids")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "group_ids": "1"}""", "group_ids")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "concurrency": -1}""", "concurrency")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "rate_multiplier": -0.1}""", "rate_multiplier")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "expires_at": -5}""", "expires_at")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "expires_at": 99999999999999}""", "expires_at")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "status": "error"}""", "status")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "k"}, "schedulable": "yes"}""", "schedulable")]
    public async Task Create_InvalidField_Is400NamingTheField(string body, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.SendRawAsync(HttpMethod.Post, Accounts, body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
        Assert.Equal(0, (await admin.GetAsync(Accounts)).Data.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("")]
    [InlineData("""{"name": "a", "platform": "anthropic", "type": "apikey", "credentials": {"api_key": "a", "api_key": "b"}}""")]
    public async Task Create_MalformedBody_Is400(string body)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.SendRawAsync(HttpMethod.Post, Accounts, body)).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_GroupOfOtherPlatform_Is400_ButAntigravityMayJoinAnthropicAndGemini()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var anthropic = await CreateGroupAsync(admin, "claude");
        var gemini = await CreateGroupAsync(admin, "gemini", "gemini");
        var openai = await CreateGroupAsync(admin, "codex", "openai");
        var antigravity = await CreateGroupAsync(admin, "ag", "antigravity");

        var wrong = await admin.PostAsync(Accounts, ApiKeyAccount("a", "anthropic", [anthropic, openai]));
        wrong.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("group_ids", wrong.Message);

        var mixed = (await admin.PostAsync(Accounts, new
        {
            name = "ag-1",
            platform = "antigravity",
            type = "oauth",
            credentials = new { refresh_token = "1//refresh-token-value" },
            group_ids = new[] { anthropic, gemini, antigravity },
        })).Data;
        Assert.Equal([anthropic, gemini, antigravity], Ids(mixed.GetProperty("group_ids")));

        var agId = mixed.GetProperty("id").GetInt64();
        (await admin.PutAsync($"{Accounts}/{agId}", new { group_ids = new[] { openai } })).ShouldFail(HttpStatusCode.BadRequest);
        // Changing the platform re-checks the groups the account keeps.
        (await admin.PutAsync($"{Accounts}/{agId}", new { platform = "gemini" })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_Paginates_AndFiltersByPlatformTypeStatusGroupAndSearch()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var group = await CreateGroupAsync(admin, "g");
        await CreateAsync(admin, ApiKeyAccount("Claude Key", groupIds: [group]));
        await CreateAsync(admin, new { name = "Claude OAuth", platform = "anthropic", type = "oauth", credentials = new { access_token = "tok-1234567890abcdef" }, status = "disabled" });
        await CreateAsync(admin, ApiKeyAccount("Codex Key", "openai"));

        static IEnumerable<string?> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()).Order();
        var page = (await admin.GetAsync($"{Accounts}?page=1&page_size=2")).Data;
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(2, page.GetProperty("pages").GetInt32());
        Assert.Equal(2, page.GetProperty("page_size").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());

        Assert.Equal(["Codex Key"], Names((await admin.GetAsync($"{Accounts}?platform=openai")).Data));
        Assert.Equal(["Claude OAuth"], Names((await admin.GetAsync($"{Accounts}?type=oauth")).Data));
        Assert.Equal(["Claude OAuth"], Names((await admin.GetAsync($"{Accounts}?status=disabled")).Data));
        Assert.Equal(["Claude Key"], Names((await admin.GetAsync($"{Accounts}?group_id={group}")).Data));
        Assert.Equal(["Claude Key", "Claude OAuth"], Names((await admin.GetAsync($"{Accounts}?search=claude")).Data));
        Assert.Equal(["Claude Key", "Codex Key"], Names((await admin.GetAsync($"{Accounts}?search=KEY&status=active")).Data));
    }

    [Theory]
    [InlineData("platform=bedrock", "platform")]
    [InlineData("type=cookie", "type")]
    [InlineData("status=sleeping", "status")]
    [InlineData("group_id=abc", "group_id")]
    [InlineData("page=-1", "page")]
    public async Task List_BadQuery_Is400NamingTheParameter(string query, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.GetAsync($"{Accounts}?{query}");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task Update_PartialBody_ChangesOnlyGivenFields()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ApiKeyAccount("a"));
        var updated = (await admin.PutAsync($"{Accounts}/{id}", new { priority = 5, status = "disabled", notes = "n", extra = new { max_sessions = 2 } })).Data;
        Assert.Equal(5, updated.GetProperty("priority").GetInt32());
        Assert.Equal("disabled", updated.GetProperty("status").GetString());
        Assert.Equal("n", updated.GetProperty("notes").GetString());
        Assert.Equal(2, updated.GetProperty("extra").GetProperty("max_sessions").GetInt32());
        Assert.Equal("a", updated.GetProperty("name").GetString());
        Assert.Equal(3, updated.GetProperty("concurrency").GetInt32());
        Assert.Equal("https://api.example.com", updated.GetProperty("credentials").GetProperty("base_url").GetString());
        Assert.Equal(Secret, (await StoredCredentialsAsync(app, id))["api_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_ExplicitNull_ClearsProxyAndExpiry()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var proxy = (await admin.PostAsync("/api/v1/admin/proxies", new { name = "p", protocol = "http", host = "proxy.local", port = 3128 })).Data.GetProperty("id").GetInt64();
        var id = await CreateAsync(admin, new
        {
            name = "a", platform = "anthropic", type = "apikey", credentials = new { api_key = Secret },
            proxy_id = proxy, expires_at = 4_102_444_800L,
        });
        var kept = (await admin.PutAsync($"{Accounts}/{id}", new { name = "b" })).Data;
        Assert.Equal(proxy, kept.GetProperty("proxy_id").GetInt64());
        Assert.Equal(4_102_444_800L, kept.GetProperty("expires_at").GetInt64());

        var cleared = (await admin.SendRawAsync(HttpMethod.Put, $"{Accounts}/{id}", """{"proxy_id": null, "expires_at": null}""")).Data;
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("proxy_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task Update_GroupIds_ReplacesMembership()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var g1 = await CreateGroupAsync(admin, "g1");
        var g2 = await CreateGroupAsync(admin, "g2");
        var g3 = await CreateGroupAsync(admin, "g3");
        var id = await CreateAsync(admin, ApiKeyAccount(groupIds: [g1, g2]));

        var updated = (await admin.PutAsync($"{Accounts}/{id}", new { group_ids = new[] { g2, g3, g3 } })).Data;
        Assert.Equal([g2, g3], Ids(updated.GetProperty("group_ids")));
        Assert.Equal([g2, g3], Ids((await admin.GetAsync($"{Accounts}/{id}")).Data.GetProperty("group_ids")));
        Assert.Equal(0, (await admin.GetAsync($"/api/v1/admin/groups/{g1}")).Data.GetProperty("account_count").GetInt64());

        var none = (await admin.PutAsync($"{Accounts}/{id}", new { group_ids = Array.Empty<long>() })).Data;
        Assert.Empty(none.GetProperty("group_ids").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"platform": "bedrock"}""", "platform")]
    [InlineData("""{"type": "oauth"}""", "credentials.access_token")]
    [InlineData("""{"credentials": {}}""", "credentials")]
    [InlineData("""{"credentials": {"api_key": "k", "base_url": "not a url"}}""", "credentials.base_url")]
    [InlineData("""{"name": ""}""", "name")]
    [InlineData("""{"status": "error"}""", "status")]
    [InlineData("""{"proxy_id": 77}""", "proxy_id")]
    [InlineData("""{"concurrency": "many"}""", "concurrency")]
    [InlineData("[]", "JSON object")]
    public async Task Update_InvalidField_Is400_AndChangesNothing(string body, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateAsync(admin, ApiKeyAccount("a"));
        var result = await admin.SendRawAsync(HttpMethod.Put, $"{Accounts}/{id}", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
        var a = (await admin.GetAsync($"{Accounts}/{id}")).Data;
        Assert.Equal("a", a.GetProperty("name").GetString());
        Assert.Equal("apikey", a.GetProperty("type").GetString());
        Assert.Equal("active", a.GetProperty("status").GetString());
        Assert.Equal(Secret, (await StoredCredentialsAsync(app, id))["api_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_SoftDeletes_AndRemovesGroupLinks()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var group = await CreateGroupAsync(admin, "g");
        var id = await CreateAsync(admin, ApiKeyAccount(groupIds: [group]));
        Assert.Equal(1, (await admin.GetAsync($"/api/v1/admin/groups/{group}")).Data.GetProperty("account_count").GetInt64());

        _ = (await admin.DeleteAsync($"{Accounts}/{id}")).Data;

        (await admin.GetAsync($"{Accounts}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Accounts}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal(0, (await admin.GetAsync(Accounts)).Data.GetProperty("total").GetInt64());
        Assert.Equal(0, (await admin.GetAsync($"/api/v1/admin/groups/{group}")).Data.GetProperty("account_count").GetInt64());
        await app.WithDbAsync(async db =>
        {
            Assert.NotNull((await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == id)).DeletedAt);
            Assert.False(await db.AccountGroups.AnyAsync(ag => ag.AccountId == id));
        });
    }

    [Fact]
    public async Task UnknownId_Is404_ForGetUpdateAndDelete()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.GetAsync($"{Accounts}/404")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{Accounts}/404", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Accounts}/404")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Accounts}/not-a-number")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminRoutes_NormalUser_Is403_AndAnonymous_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("u@example.com");
        (await user.GetAsync(Accounts)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync(Accounts, ApiKeyAccount())).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync(Accounts)).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().PostAsync(Accounts, ApiKeyAccount())).ShouldFail(HttpStatusCode.Unauthorized);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

public sealed class GroupsApiTests
{
    private const string Groups = "/api/v1/admin/groups";

    private static async Task<long> CreateGroupAsync(ApiClient admin, object body) =>
        (await admin.PostAsync(Groups, body)).Data.GetProperty("id").GetInt64();

    private static async Task<long> CreateAccountAsync(ApiClient admin, string name, params long[] groupIds) =>
        (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name,
            platform = "anthropic",
            type = "apikey",
            credentials = new { api_key = "sk-ant-test-key-0123456789" },
            group_ids = groupIds,
        })).Data.GetProperty("id").GetInt64();

    [Fact]
    public async Task Create_MinimalBody_AppliesDefaults()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var g = (await admin.PostAsync(Groups, new { name = "  Claude Pool  " })).Data;
        Assert.True(g.GetProperty("id").GetInt64() > 0);
        Assert.Equal("Claude Pool", g.GetProperty("name").GetString());
        Assert.Equal("", g.GetProperty("description").GetString());
        Assert.Equal("anthropic", g.GetProperty("platform").GetString());
        Assert.Equal(1m, g.GetProperty("rate_multiplier").GetDecimal());
        Assert.False(g.GetProperty("is_exclusive").GetBoolean());
        Assert.Equal("active", g.GetProperty("status").GetString());
        Assert.Equal("standard", g.GetProperty("subscription_type").GetString());
        Assert.Equal(JsonValueKind.Null, g.GetProperty("daily_limit_usd").ValueKind);
        Assert.Equal(30, g.GetProperty("default_validity_days").GetInt32());
        Assert.Equal(JsonValueKind.Null, g.GetProperty("image_price_1k").ValueKind);
        Assert.Equal(JsonValueKind.Null, g.GetProperty("fallback_group_id").ValueKind);
        Assert.Equal(JsonValueKind.Object, g.GetProperty("model_routing").ValueKind);
        Assert.True(g.GetProperty("mcp_xml_inject").GetBoolean());
        Assert.Equal(["claude", "gemini_text", "gemini_image"], g.GetProperty("supported_model_scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, g.GetProperty("account_count").GetInt64());
        Assert.True(g.TryGetProperty("created_at", out _));
        Assert.True(g.TryGetProperty("updated_at", out _));
    }

    [Fact]
    public async Task Create_AllFields_RoundTripThroughGet()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var fallback = await CreateGroupAsync(admin, new { name = "fallback" });
        var account = await CreateAccountAsync(admin, "routed");
        var id = await CreateGroupAsync(admin, new
        {
            name = "VIP",
            description = "paying customers",
            platform = "anthropic",
            rate_multiplier = 1.25m,
            is_exclusive = true,
            status = "disabled",
            subscription_type = "subscription",
            daily_limit_usd = 5.5m,
            weekly_limit_usd = 20m,
            monthly_limit_usd = 0.12345678m,
            default_validity_days = 90,
            image_price_1k = 0.01m,
            image_price_2k = 0.02m,
            image_price_4k = 0.04m,
            claude_code_only = true,
            fallback_group_id = fallback,
            fallback_group_id_on_invalid_request = fallback,
            model_routing = new Dictionary<string, long[]> { ["claude-opus-*"] = [account] },
            model_routing_enabled = true,
            mcp_xml_inject = false,
            supported_model_scopes = new[] { "claude" },
            sort_order = 7,
        });

        var g = (await admin.GetAsync($"{Groups}/{id}")).Data;
        Assert.Equal("VIP", g.GetProperty("name").GetString());
        Assert.Equal("paying customers", g.GetProperty("description").GetString());
        Assert.Equal(1.25m, g.GetProperty("rate_multiplier").GetDecimal());
        Assert.True(g.GetProperty("is_exclusive").GetBoolean());
        Assert.Equal("disabled", g.GetProperty("status").GetString());
        Assert.Equal("subscription", g.GetProperty("subscription_type").GetString());
        Assert.Equal(5.5m, g.GetProperty("daily_limit_usd").GetDecimal());
        Assert.Equal(20m, g.GetProperty("weekly_limit_usd").GetDecimal());
        Assert.Equal(0.12345678m, g.GetProperty("monthly_limit_usd").GetDecimal());
        Assert.Equal(90, g.GetProperty("default_validity_days").GetInt32());
        Assert.Equal(0.01m, g.GetProperty("image_price_1k").GetDecimal());
        Assert.Equal(0.02m, g.GetProperty("image_price_2k").GetDecimal());
        Assert.Equal(0.04m, g.GetProperty("image_price_4k").GetDecimal());
        Assert.True(g.GetProperty("claude_code_only").GetBoolean());
        Assert.Equal(fallback, g.GetProperty("fallback_group_id").GetInt64());
        Assert.Equal(fallback, g.GetProperty("fallback_group_id_on_invalid_request").GetInt64());
        Assert.Equal(account, g.GetProperty("model_routing").GetProperty("claude-opus-*")[0].GetInt64());
        Assert.True(g.GetProperty("model_routing_enabled").GetBoolean());
        Assert.False(g.GetProperty("mcp_xml_inject").GetBoolean());
        Assert.Equal(["claude"], g.GetProperty("supported_model_scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(7, g.GetProperty("sort_order").GetInt32());
    }

    [Fact]
    public async Task List_Paginates_WithOriginalPageShape()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        for (var i = 1; i <= 3; i++)
        {
            await CreateGroupAsync(admin, new { name = $"g{i}", sort_order = 10 - i });
        }
        var first = (await admin.GetAsync($"{Groups}?page=1&page_size=2")).Data;
        Assert.Equal(3, first.GetProperty("total").GetInt64());
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(2, first.GetProperty("page_size").GetInt32());
        Assert.Equal(2, first.GetProperty("pages").GetInt32());
        // Ordered by sort_order: g3 (7), g2 (8), g1 (9).
        Assert.Equal(["g3", "g2"], first.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        var second = (await admin.GetAsync($"{Groups}?page=2&limit=2")).Data;
        Assert.Equal(["g1"], second.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task List_Filters_ByPlatformStatusAndSearch()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await CreateGroupAsync(admin, new { name = "Claude Main" });
        await CreateGroupAsync(admin, new { name = "Codex Main", platform = "openai" });
        await CreateGroupAsync(admin, new { name = "Claude Old", status = "disabled" });

        static IEnumerable<string?> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString());
        Assert.Equal(["Codex Main"], Names((await admin.GetAsync($"{Groups}?platform=openai")).Data));
        Assert.Equal(["Claude Old"], Names((await admin.GetAsync($"{Groups}?status=disabled")).Data));
        Assert.Equal(["Claude Main", "Claude Old"], Names((await admin.GetAsync($"{Groups}?search=claude")).Data));
        Assert.Equal(["Claude Main"], Names((await admin.GetAsync($"{Groups}?search=CLAUDE&status=active&platform=anthropic")).Data));
    }

    [Theory]
    [InlineData("platform=bedrock", "platform")]
    [InlineData("status=weird", "status")]
    [InlineData("page=0", "page")]
    [InlineData("page_size=abc", "page_size")]
    public async Task List_BadQuery_Is400NamingTheParameter(string query, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.GetAsync($"{Groups}?{query}");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task All_ReturnsPlainArrayOrderedBySortOrderThenId()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await CreateGroupAsync(admin, new { name = "b", sort_order = 2 });
        await CreateGroupAsync(admin, new { name = "a", sort_order = 1 });
        await CreateGroupAsync(admin, new { name = "c", sort_order = 2 });
        await CreateGroupAsync(admin, new { name = "o", platform = "openai", sort_order = 0 });

        var all = (await admin.GetAsync($"{Groups}/all")).Data;
        Assert.Equal(JsonValueKind.Array, all.ValueKind);
        Assert.Equal(["o", "a", "b", "c"], all.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        var anthropic = (await admin.GetAsync($"{Groups}/all?platform=anthropic")).Data;
        Assert.Equal(["a", "b", "c"], anthropic.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Update_PartialBody_ChangesOnlyGivenFields()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateGroupAsync(admin, new { name = "g", description = "keep me", rate_multiplier = 2m, daily_limit_usd = 3m, sort_order = 4 });

        var updated = (await admin.PutAsync($"{Groups}/{id}", new { rate_multiplier = 0.5m, status = "disabled" })).Data;
        Assert.Equal(0.5m, updated.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal("disabled", updated.GetProperty("status").GetString());
        Assert.Equal("g", updated.GetProperty("name").GetString());
        Assert.Equal("keep me", updated.GetProperty("description").GetString());
        Assert.Equal(3m, updated.GetProperty("daily_limit_usd").GetDecimal());
        Assert.Equal(4, updated.GetProperty("sort_order").GetInt32());

        var again = (await admin.GetAsync($"{Groups}/{id}")).Data;
        Assert.Equal(0.5m, again.GetProperty("rate_multiplier").GetDecimal());
    }

    [Fact]
    public async Task Update_ExplicitNull_ClearsLimitAndFallback_ButNullNameIsIgnored()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var fallback = await CreateGroupAsync(admin, new { name = "fb" });
        var id = await CreateGroupAsync(admin, new { name = "g", daily_limit_usd = 3m, weekly_limit_usd = 9m, fallback_group_id = fallback });

        var updated = (await admin.SendRawAsync(HttpMethod.Put, $"{Groups}/{id}",
            """{"name": null, "daily_limit_usd": null, "fallback_group_id": null}""")).Data;
        Assert.Equal("g", updated.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("daily_limit_usd").ValueKind);
        Assert.Equal(9m, updated.GetProperty("weekly_limit_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("fallback_group_id").ValueKind);
    }

    [Fact]
    public async Task Create_DuplicateName_Is409_AndRenameOntoExistingIs409()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await CreateGroupAsync(admin, new { name = "taken" });
        var other = await CreateGroupAsync(admin, new { name = "other" });

        (await admin.PostAsync(Groups, new { name = "taken" })).ShouldFail(HttpStatusCode.Conflict);
        (await admin.PostAsync(Groups, new { name = " taken " })).ShouldFail(HttpStatusCode.Conflict);
        var rename = await admin.PutAsync($"{Groups}/{other}", new { name = "taken" });
        rename.ShouldFail(HttpStatusCode.Conflict);
        Assert.Contains("taken", rename.Message);
        Assert.Equal("other", (await admin.GetAsync($"{Groups}/{other}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_NameOfDeletedGroup_IsAllowed()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateGroupAsync(admin, new { name = "reused" });
        _ = (await admin.DeleteAsync($"{Groups}/{id}")).Data;
        var again = await CreateGroupAsync(admin, new { name = "reused" });
        Assert.NotEqual(id, again);
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name": "   "}""", "name")]
    [InlineData("""{"name": "g", "platform": "bedrock"}""", "platform must be one of: anthropic, openai, gemini, antigravity")]
    [InlineData("""{"name": "g", "rate_multiplier": -1}""", "rate_multiplier")]
    [InlineData("""{"name": "g", "rate_multiplier": 1e20}""", "rate_multiplier")]
    [InlineData("""{"name": "g", "status": "error"}""", "status")]
    [InlineData("""{"name": "g", "subscription_type": "monthly"}""", "subscription_type")]
    [InlineData("""{"name": "g", "daily_limit_usd": -0.01}""", "daily_limit_usd")]
    [InlineData("""{"name": "g", "weekly_limit_usd": -1}""", "weekly_limit_usd")]
    [InlineData("""{"name": "g", "monthly_limit_usd": -1}""", "monthly_limit_usd")]
    [InlineData("""{"name": "g", "default_validity_days": 0}""", "default_validity_days")]
    [InlineData("""{"name": "g", "default_validity_days": 36501}""", "default_validity_days")]
    [InlineData("""{"name": "g", "image_price_2k": -1}""", "image_price_2k")]
    [InlineData("""{"name": "g", "fallback_group_id": 999}""", "fallback_group_id")]
    [InlineData("""{"name": "g", "fallback_group_id_on_invalid_request": 999}""", "fallback_group_id_on_invalid_request")]
    [InlineData("""{"name": "g", "supported_model_scopes": ["claude", "video"]}""", "supported_model_scopes")]
    [InlineData("""{"name": "g", "model_routing": {"claude-*": [0]}}""", "model_routing")]
    [InlineData("""{"name": "g", "model_routing": {"claude-*": null}}""", "model_routing")]
    [InlineData("""{"name": "g", "model_routing": {"claude-*": [42]}}""", "model_routing")]
    [InlineData("""{"name": "g", "rate_multiplier": "high"}""", "rate_multiplier")]
    [InlineData("""{"name": "g", "model_routing": ["claude"]}""", "model_routing")]
    [InlineData("""{"name": 5}""", "name")]
    [InlineData("""{"name": "g", "model_routing": {"a": [1], "a": [2]}}""", "model_routing")]
    public async Task Create_InvalidField_Is400NamingTheField(string body, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.SendRawAsync(HttpMethod.Post, Groups, body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
        Assert.Equal(0, (await admin.GetAsync(Groups)).Data.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    public async Task Create_MalformedOrEmptyBody_Is400(string body)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.SendRawAsync(HttpMethod.Post, Groups, body)).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("\"text\"")]
    [InlineData("""{"platform": "x"}""")]
    [InlineData("""{"default_validity_days": "30"}""")]
    public async Task Update_BadBody_Is400_AndChangesNothing(string body)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateGroupAsync(admin, new { name = "g" });
        (await admin.SendRawAsync(HttpMethod.Put, $"{Groups}/{id}", body)).ShouldFail(HttpStatusCode.BadRequest);
        var g = (await admin.GetAsync($"{Groups}/{id}")).Data;
        Assert.Equal("anthropic", g.GetProperty("platform").GetString());
        Assert.Equal(30, g.GetProperty("default_validity_days").GetInt32());
    }

    [Fact]
    public async Task Update_FallbackToItself_Is400()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateGroupAsync(admin, new { name = "g" });
        var result = await admin.PutAsync($"{Groups}/{id}", new { fallback_group_id = id });
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("fallback_group_id", result.Message);
    }

    [Fact]
    public async Task Create_FallbackToClaudeCodeOnlyGroup_Is400()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var strict = await CreateGroupAsync(admin, new { name = "cc-only", claude_code_only = true });
        var result = await admin.PostAsync(Groups, new { name = "g", fallback_group_id = strict });
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("claude_code_only", result.Message);
    }

    [Fact]
    public async Task UnknownId_Is404_ForGetUpdateAndDelete()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.GetAsync($"{Groups}/999")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{Groups}/999", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Groups}/999")).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_NonNumericId_Is400Envelope()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.GetAsync($"{Groups}/abc")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AccountCount_CountsOnlyNonDeletedAccounts()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateGroupAsync(admin, new { name = "g" });
        await CreateAccountAsync(admin, "a1", id);
        var second = await CreateAccountAsync(admin, "a2", id);
        await CreateAccountAsync(admin, "a3");
        Assert.Equal(2, (await admin.GetAsync($"{Groups}/{id}")).Data.GetProperty("account_count").GetInt64());

        // A soft-deleted account whose link row is still there must not count.
        await app.WithDbAsync(db => db.Accounts.Where(a => a.Id == second)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.DeletedAt, DateTime.UtcNow)));
        var list = (await admin.GetAsync(Groups)).Data;
        Assert.Equal(1, list.GetProperty("items")[0].GetProperty("account_count").GetInt64());
        Assert.Equal(1, (await admin.GetAsync($"{Groups}/all")).Data[0].GetProperty("account_count").GetInt64());
    }

    [Fact]
    public async Task Delete_SoftDeletes_DetachesAccountsAndUnbindsApiKeys()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await CreateGroupAsync(admin, new { name = "doomed" });
        var referrer = await CreateGroupAsync(admin, new { name = "referrer", fallback_group_id = id });
        var account = await CreateAccountAsync(admin, "member", id);
        var keyId = await app.WithDbAsync(async db =>
        {
            var adminId = await db.Users.Where(u => u.Email == Sub2ApiFactory.AdminEmail).Select(u => u.Id).FirstAsync();
            var key = new ApiKey { UserId = adminId, KeyHash = new string('a', 64), KeyHint = "sk-aa…aa", Name = "k", GroupId = id };
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            return key.Id;
        });

        _ = (await admin.DeleteAsync($"{Groups}/{id}")).Data;

        (await admin.GetAsync($"{Groups}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal(["referrer"], (await admin.GetAsync($"{Groups}/all")).Data.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Empty((await admin.GetAsync($"/api/v1/admin/accounts/{account}")).Data.GetProperty("group_ids").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await admin.GetAsync($"{Groups}/{referrer}")).Data.GetProperty("fallback_group_id").ValueKind);
        await app.WithDbAsync(async db =>
        {
            var row = await db.Groups.IgnoreQueryFilters().SingleAsync(g => g.Id == id);
            Assert.NotNull(row.DeletedAt);
            Assert.False(await db.AccountGroups.AnyAsync(ag => ag.GroupId == id));
            Assert.Null((await db.ApiKeys.SingleAsync(k => k.Id == keyId)).GroupId);
        });
    }

    [Fact]
    public async Task SortOrder_WrappedAndPlainArray_BothUpdate()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var a = await CreateGroupAsync(admin, new { name = "a" });
        var b = await CreateGroupAsync(admin, new { name = "b" });

        _ = (await admin.PutAsync($"{Groups}/sort-order", new { updates = new[] { new { id = a, sort_order = 5 }, new { id = b, sort_order = 1 } } })).Data;
        Assert.Equal(["b", "a"], (await admin.GetAsync($"{Groups}/all")).Data.EnumerateArray().Select(g => g.GetProperty("name").GetString()));

        _ = (await admin.PutAsync($"{Groups}/sort-order", new[] { new { id = b, sort_order = 9 } })).Data;
        Assert.Equal(["a", "b"], (await admin.GetAsync($"{Groups}/all")).Data.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(9, (await admin.GetAsync($"{Groups}/{b}")).Data.GetProperty("sort_order").GetInt32());
    }

    [Theory]
    [InlineData("""{"updates": []}""", "updates")]
    [InlineData("""{}""", "updates")]
    [InlineData("""{"updates": [{"id": 999, "sort_order": 1}]}""", "999")]
    [InlineData("""{"updates": [{"sort_order": 1}]}""", "updates[0].id")]
    [InlineData("""{"updates": [{"id": 1}]}""", "updates[0].sort_order")]
    [InlineData("""{"updates": [{"id": 1, "sort_order": 1}, {"id": 1, "sort_order": 2}]}""", "more than once")]
    [InlineData("""{"updates": [{"id": 1, "sort_order": "first"}]}""", "sort_order")]
    [InlineData("42", "updates")]
    public async Task SortOrder_BadBody_Is400(string body, string expected)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await CreateGroupAsync(admin, new { name = "only", sort_order = 3 });
        var result = await admin.SendRawAsync(HttpMethod.Put, $"{Groups}/sort-order", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(expected, result.Message);
        Assert.Equal(3, (await admin.GetAsync($"{Groups}/all")).Data[0].GetProperty("sort_order").GetInt32());
    }

    [Fact]
    public async Task AdminRoutes_NormalUser_Is403_AndAnonymous_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("u@example.com");
        (await user.GetAsync(Groups)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync(Groups, new { name = "x" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync($"{Groups}/sort-order", new { updates = Array.Empty<object>() })).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync(Groups)).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().DeleteAsync($"{Groups}/1")).ShouldFail(HttpStatusCode.Unauthorized);
    }
}

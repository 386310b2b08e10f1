using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

public sealed class UsersApiTests
{
    [Fact]
    public async Task Create_ThenGetAndList_RoundTripsFields()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = (await admin.PostAsync("/api/v1/admin/users",
            new { email = "Alice@Example.com", password = "alice-pass", username = "alice", notes = "vip", balance = 12.3456789012m, concurrency = 7 })).Data;
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("alice@example.com", created.GetProperty("email").GetString());
        Assert.Equal(12.3456789012m, created.GetProperty("balance").GetDecimal());

        var fetched = (await admin.GetAsync($"/api/v1/admin/users/{id}")).Data;
        Assert.Equal(7, fetched.GetProperty("concurrency").GetInt32());
        Assert.Equal(12.3456789012m, fetched.GetProperty("balance").GetDecimal());
        Assert.Equal("user", fetched.GetProperty("role").GetString());

        var page = (await admin.GetAsync("/api/v1/admin/users?page=1&page_size=1&search=alice")).Data;
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(1, page.GetProperty("page_size").GetInt32());
        Assert.Equal(1, page.GetProperty("pages").GetInt32());
        Assert.Equal(id, page.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task List_Pagination_CountsPages()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        for (var i = 0; i < 4; i++)
        {
            _ = (await admin.PostAsync("/api/v1/admin/users", new { email = $"u{i}@example.com", password = "pass-word" })).Data;
        }
        var page = (await admin.GetAsync("/api/v1/admin/users?page=2&limit=2")).Data;
        Assert.Equal(5, page.GetProperty("total").GetInt64()); // 4 + the admin
        Assert.Equal(3, page.GetProperty("pages").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        (await admin.GetAsync("/api/v1/admin/users?page=0")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/api/v1/admin/users?page_size=abc")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_DuplicateEmail_Is409AndNothingWritten()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        _ = (await admin.PostAsync("/api/v1/admin/users", new { email = "dup@example.com", password = "pass-word" })).Data;
        (await admin.PostAsync("/api/v1/admin/users", new { email = "DUP@example.com", password = "pass-word" })).ShouldFail(HttpStatusCode.Conflict);
        var count = await app.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "dup@example.com"));
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("""{"password":"pass-word"}""", "email")]
    [InlineData("""{"email":"x@example.com"}""", "password")]
    [InlineData("""{"email":"x@example.com","password":"pass-word","role":"superuser"}""", "role")]
    [InlineData("""{"email":"x@example.com","password":"pass-word","balance":-1}""", "balance")]
    [InlineData("""{"email":"x@example.com","password":"pass-word","balance":"lots"}""", "balance")]
    [InlineData("""{"email":"x@example.com","password":"pass-word","allowed_groups":[999]}""", "allowed_groups")]
    public async Task Create_InvalidField_Is400NamingIt(string body, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.SendRawAsync(HttpMethod.Post, "/api/v1/admin/users", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task UnknownId_Is404()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.GetAsync("/api/v1/admin/users/9999")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync("/api/v1/admin/users/9999", new { notes = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync("/api/v1/admin/users/9999")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync("/api/v1/admin/users/9999/balance", new { balance = 1, operation = "add" })).ShouldFail(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UserToken_OnAdminRoute_Is403_AndNoToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("plain@example.com");
        (await user.GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Forbidden);
        (await app.Api().GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Update_DisableUser_RevokesAccessImmediately()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, id) = await app.CreateUserAsync("bob@example.com");
        _ = (await user.GetAsync("/api/v1/auth/me")).Data;
        _ = (await admin.PutAsync($"/api/v1/admin/users/{id}", new { status = "disabled" })).Data;
        (await user.GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().PostAsync("/api/v1/auth/login", new { email = "bob@example.com", password = "user-password-1" })).ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Update_NewPassword_EndsOldSessions()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, id) = await app.CreateUserAsync("carol@example.com");
        _ = (await admin.PutAsync($"/api/v1/admin/users/{id}", new { password = "brand-new-pass" })).Data;
        (await user.GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
        _ = await app.LoginAsync("carol@example.com", "brand-new-pass");
    }

    [Fact]
    public async Task Update_GroupRatesAndAllowedGroups_AreStoredAndCleared()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("dave@example.com");
        var groupId = await app.WithDbAsync(async db =>
        {
            var g = new Sub2Api.Data.Entities.Group { Name = "vip", IsExclusive = true };
            db.Groups.Add(g);
            await db.SaveChangesAsync();
            return g.Id;
        });
        var updated = (await admin.PutAsync($"/api/v1/admin/users/{id}",
            new { allowed_groups = new[] { groupId }, group_rates = new Dictionary<string, decimal?> { [groupId.ToString()] = 0.85m } })).Data;
        Assert.Equal(groupId, updated.GetProperty("allowed_groups")[0].GetInt64());
        Assert.Equal(0.85m, updated.GetProperty("group_rates").GetProperty(groupId.ToString()).GetDecimal());

        var cleared = (await admin.PutAsync($"/api/v1/admin/users/{id}",
            new { allowed_groups = Array.Empty<long>(), group_rates = new Dictionary<string, decimal?> { [groupId.ToString()] = null } })).Data;
        Assert.Equal(0, cleared.GetProperty("allowed_groups").GetArrayLength());
        Assert.False(cleared.GetProperty("group_rates").EnumerateObject().Any());
    }

    [Fact]
    public async Task Update_CannotDisableOrDeleteSelf()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (await admin.PutAsync("/api/v1/admin/users/1", new { status = "disabled" })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.DeleteAsync("/api/v1/admin/users/1")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Delete_SoftDeletes_UserDisappearsAndEmailIsReusable()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("erin@example.com");
        _ = (await admin.DeleteAsync($"/api/v1/admin/users/{id}")).Data;
        (await admin.GetAsync($"/api/v1/admin/users/{id}")).ShouldFail(HttpStatusCode.NotFound);
        var stillThere = await app.WithDbAsync(db => db.Users.IgnoreQueryFilters().AnyAsync(u => u.Id == id && u.DeletedAt != null));
        Assert.True(stillThere);
        _ = (await admin.PostAsync("/api/v1/admin/users", new { email = "erin@example.com", password = "pass-word" })).Data;
    }

    [Fact]
    public async Task Balance_AddSubtractSet_IsExactAndRecordedInHistory()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("frank@example.com", balance: 1m);
        var path = $"/api/v1/admin/users/{id}/balance";
        Assert.Equal(1.1000000001m, (await admin.PostAsync(path, new { balance = 0.1000000001m, operation = "add", notes = "top-up" })).Data.GetProperty("balance").GetDecimal());
        Assert.Equal(0.6000000001m, (await admin.PostAsync(path, new { balance = 0.5m, operation = "subtract" })).Data.GetProperty("balance").GetDecimal());
        Assert.Equal(42m, (await admin.PostAsync(path, new { balance = 42m, operation = "set" })).Data.GetProperty("balance").GetDecimal());

        var history = (await admin.GetAsync($"/api/v1/admin/users/{id}/balance-history")).Data;
        Assert.Equal(3, history.GetProperty("total").GetInt64());
        var values = history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("value").GetDecimal()).ToList();
        Assert.Equal([41.3999999999m, -0.5m, 0.1000000001m], values);
        Assert.All(history.GetProperty("items").EnumerateArray(), i => Assert.Equal("admin_balance", i.GetProperty("type").GetString()));
    }

    [Theory]
    [InlineData("""{"balance":0,"operation":"add"}""", "balance")]
    [InlineData("""{"balance":5,"operation":"multiply"}""", "operation")]
    [InlineData("""{"operation":"add"}""", "balance")]
    public async Task Balance_InvalidRequest_Is400(string body, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("gina@example.com");
        var result = await admin.SendRawAsync(HttpMethod.Post, $"/api/v1/admin/users/{id}/balance", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task Balance_SubtractBelowZero_Is400AndUnchanged()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("hank@example.com", balance: 2m);
        (await admin.PostAsync($"/api/v1/admin/users/{id}/balance", new { balance = 3m, operation = "subtract" })).ShouldFail(HttpStatusCode.BadRequest);
        var after = (await admin.GetAsync($"/api/v1/admin/users/{id}")).Data.GetProperty("balance").GetDecimal();
        Assert.Equal(2m, after);
        var history = (await admin.GetAsync($"/api/v1/admin/users/{id}/balance-history")).Data;
        Assert.Equal(0, history.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Balance_ConcurrentAdds_NoneLost()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, id) = await app.CreateUserAsync("ivy@example.com");
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            admin.PostAsync($"/api/v1/admin/users/{id}/balance", new { balance = 0.0000000001m, operation = "add" })));
        var after = (await admin.GetAsync($"/api/v1/admin/users/{id}")).Data.GetProperty("balance").GetDecimal();
        Assert.Equal(0.000000002m, after);
    }
}

using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;
using static Sub2Api.FunctionalTests.Codes.CodesTestKit;

namespace Sub2Api.FunctionalTests.Codes;

public sealed class PromoCodesTests(SharedCodesApp shared) : IClassFixture<SharedCodesApp>
{
    [Fact]
    public async Task Create_GeneratesACodeWhenEmpty_UppercasesAGivenOne_AndRefusesDuplicates()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var generated = (await admin.PostAsync(PromoCodes, new { bonus_amount = 5m })).Data;
        Assert.Matches("^[0-9A-F]{16}$", generated.GetProperty("code").GetString());
        Assert.Equal(0, generated.GetProperty("max_uses").GetInt32());
        Assert.Equal("active", generated.GetProperty("status").GetString());

        var named = (await admin.PostAsync(PromoCodes, new { code = " welcome-2026 ", bonus_amount = 2.5m, max_uses = 3, expires_at = 4102444800L, notes = "launch" })).Data;
        Assert.Equal("WELCOME-2026", named.GetProperty("code").GetString());
        Assert.Equal(new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc), named.GetProperty("expires_at").GetDateTime());
        Assert.Equal(3, named.GetProperty("max_uses").GetInt32());

        var dup = await admin.PostAsync(PromoCodes, new { code = "WELCOME-2026", bonus_amount = 1m });
        dup.ShouldFail(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"code":"X"}""", "bonus_amount")]
    [InlineData("""{"bonus_amount":0}""", "bonus_amount")]
    [InlineData("""{"bonus_amount":-1}""", "bonus_amount")]
    [InlineData("""{"bonus_amount":7.9e28}""", "bonus_amount")]
    [InlineData("""{"bonus_amount":1,"max_uses":-1}""", "max_uses")]
    [InlineData("""{"bonus_amount":1,"expires_at":-5}""", "expires_at")]
    [InlineData("""{"bonus_amount":1,"expires_at":999999999999999}""", "expires_at")]
    [InlineData("""{"bonus_amount":1,"status":"paused"}""", "status")]
    [InlineData("""{"bonus_amount":1,"code":"has space"}""", "code")]
    public async Task Create_BadInput_Is400NamingTheField(string body, string field)
    {
        var admin = await shared.App.AdminAsync();
        var result = await admin.SendRawAsync(HttpMethod.Post, PromoCodes, body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task ListGetUpdateDelete_AndUnknownIds()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = (await admin.PostAsync(PromoCodes, new { code = "ALPHA", bonus_amount = 1m, expires_at = 4102444800L })).Data.GetProperty("id").GetInt64();
        _ = (await admin.PostAsync(PromoCodes, new { code = "BETA", bonus_amount = 1m, status = "disabled" })).Data;

        Assert.Equal(2, (await admin.GetAsync(PromoCodes)).Data.GetProperty("total").GetInt64());
        Assert.Equal("BETA", (await admin.GetAsync($"{PromoCodes}?status=disabled")).Data.GetProperty("items")[0].GetProperty("code").GetString());
        Assert.Equal(1, (await admin.GetAsync($"{PromoCodes}?search=alp")).Data.GetProperty("total").GetInt64());
        (await admin.GetAsync($"{PromoCodes}?status=paused")).ShouldFail(HttpStatusCode.BadRequest);

        var updated = (await admin.PutAsync($"{PromoCodes}/{id}", new { bonus_amount = 9.5m, status = "disabled", expires_at = 0 })).Data;
        Assert.Equal(9.5m, updated.GetProperty("bonus_amount").GetDecimal());
        Assert.Equal("disabled", updated.GetProperty("status").GetString());
        Assert.False(updated.TryGetProperty("expires_at", out var e) && e.ValueKind != JsonValueKind.Null);
        Assert.Equal("ALPHA", (await admin.GetAsync($"{PromoCodes}/{id}")).Data.GetProperty("code").GetString());
        (await admin.PutAsync($"{PromoCodes}/{id}", new { code = "beta" })).ShouldFail(HttpStatusCode.Conflict);
        (await admin.PutAsync($"{PromoCodes}/{id}", new { bonus_amount = -2 })).ShouldFail(HttpStatusCode.BadRequest);

        _ = (await admin.DeleteAsync($"{PromoCodes}/{id}")).Data;
        (await admin.GetAsync($"{PromoCodes}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{PromoCodes}/{id}", new { notes = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{PromoCodes}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{PromoCodes}/{id}/usages")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{PromoCodes}/nope")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Usages_ListWhoRegisteredWithTheCode()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        _ = (await admin.PutAsync("/api/v1/admin/settings", new { registration_enabled = true, promo_code_enabled = true })).Data;
        var id = (await admin.PostAsync(PromoCodes, new { code = "HELLO", bonus_amount = 4m })).Data.GetProperty("id").GetInt64();
        _ = (await app.Api().PostAsync("/api/v1/auth/register", new { email = "p1@example.com", password = "secret-123", promo_code = "hello" })).Data;
        _ = (await app.Api().PostAsync("/api/v1/auth/register", new { email = "p2@example.com", password = "secret-123", promo_code = "HELLO" })).Data;

        var usages = (await admin.GetAsync($"{PromoCodes}/{id}/usages?page_size=1")).Data;
        Assert.Equal(2, usages.GetProperty("total").GetInt64());
        var latest = usages.GetProperty("items")[0];
        Assert.Equal("p2@example.com", latest.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal(4m, latest.GetProperty("bonus_amount").GetDecimal());
        Assert.Equal(2, (await admin.GetAsync($"{PromoCodes}/{id}")).Data.GetProperty("used_count").GetInt32());
    }

    [Fact]
    public async Task AdminRoutes_User_Is403()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("plain@example.com");
        (await user.GetAsync(PromoCodes)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync(PromoCodes, new { bonus_amount = 1 })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{PromoCodes}/1")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync($"{PromoCodes}/1", new { notes = "x" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.DeleteAsync($"{PromoCodes}/1")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"{PromoCodes}/1/usages")).ShouldFail(HttpStatusCode.Forbidden);
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;
using static Sub2Api.FunctionalTests.Codes.CodesTestKit;

namespace Sub2Api.FunctionalTests.Codes;

public sealed class RegistrationCodesTests
{
    private const string Register = "/api/v1/auth/register";

    private static async Task<ApiClient> AppWithAsync(Sub2ApiFactory app, bool promo = true, bool invitation = false)
    {
        var admin = await app.AdminAsync();
        _ = (await admin.PutAsync("/api/v1/admin/settings", new
        {
            registration_enabled = true, default_balance = 1m, promo_code_enabled = promo, invitation_code_enabled = invitation,
        })).Data;
        return admin;
    }

    private static object Body(string email, string? promo = null, string? invitation = null) =>
        new { email, password = "secret-123", promo_code = promo, invitation_code = invitation };

    [Fact]
    public async Task Promo_AddsTheBonus_AndStopsAtMaxUses()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await AppWithAsync(app);
        _ = (await admin.PostAsync(PromoCodes, new { code = "TWICE", bonus_amount = 2.5m, max_uses = 2 })).Data;

        var first = (await app.Api().PostAsync(Register, Body("a@example.com", "twice"))).Data;
        Assert.Equal(3.5m, first.GetProperty("user").GetProperty("balance").GetDecimal());
        _ = (await app.Api().PostAsync(Register, Body("b@example.com", "TWICE"))).Data;

        var third = await app.Api().PostAsync(Register, Body("c@example.com", "TWICE"));
        third.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("PROMO_CODE_MAX_USED", third.Body.GetProperty("reason").GetString());
        // No user is created when its code is refused.
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "c@example.com")));
        Assert.Equal(2, await app.WithDbAsync(db => db.PromoCodeUsages.CountAsync()));
    }

    [Fact]
    public async Task Promo_ConcurrentRegistrations_NeverExceedMaxUses()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await AppWithAsync(app);
        _ = (await admin.PostAsync(PromoCodes, new { code = "ONCE", bonus_amount = 1m, max_uses = 1 })).Data;
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => app.Api().PostAsync(Register, Body($"race{i}@example.com", "ONCE"))));
        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Equal(1, await app.WithDbAsync(db => db.PromoCodes.Select(p => p.UsedCount).SingleAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Email.StartsWith("race"))));
    }

    [Theory]
    [InlineData("EXPIRED", "PROMO_CODE_EXPIRED")]
    [InlineData("OFF", "PROMO_CODE_DISABLED")]
    [InlineData("MISSING", "PROMO_CODE_NOT_FOUND")]
    public async Task Promo_Unusable_Is400WithTheReason(string code, string reason)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await AppWithAsync(app);
        _ = (await admin.PostAsync(PromoCodes, new { code = "EXPIRED", bonus_amount = 1m, expires_at = 1000000000L })).Data;
        _ = (await admin.PostAsync(PromoCodes, new { code = "OFF", bonus_amount = 1m, status = "disabled" })).Data;

        var result = await app.Api().PostAsync(Register, Body("x@example.com", code));
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(reason, result.Body.GetProperty("reason").GetString());

        var check = (await app.Api().PostAsync("/api/v1/auth/validate-promo-code", new { code })).Data;
        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.Equal(reason, check.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Promo_WhenTheFeatureIsOff_IsIgnored()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await AppWithAsync(app, promo: false);
        _ = (await admin.PostAsync(PromoCodes, new { code = "FREE", bonus_amount = 5m })).Data;
        var user = (await app.Api().PostAsync(Register, Body("off@example.com", "FREE"))).Data;
        Assert.Equal(1m, user.GetProperty("user").GetProperty("balance").GetDecimal());
        var check = (await app.Api().PostAsync("/api/v1/auth/validate-promo-code", new { code = "FREE" })).Data;
        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.Equal("PROMO_CODE_DISABLED", check.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ValidatePromo_ValidCode_ShowsTheBonus_EmptyIs400()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await AppWithAsync(app);
        _ = (await admin.PostAsync(PromoCodes, new { code = "GIFT", bonus_amount = 3.25m })).Data;
        var check = (await app.Api().PostAsync("/api/v1/auth/validate-promo-code", new { code = "gift" })).Data;
        Assert.True(check.GetProperty("valid").GetBoolean());
        Assert.Equal(3.25m, check.GetProperty("bonus_amount").GetDecimal());
        (await app.Api().PostAsync("/api/v1/auth/validate-promo-code", new { code = "" })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Invitation_IsRequired_UsedOnce_AndMarkedWithTheNewUser()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await AppWithAsync(app, promo: false, invitation: true);
        var (code, id) = await OneCodeAsync(admin, "invitation", 0m);
        var (balanceCode, _) = await OneCodeAsync(admin, "balance", 1m);

        var missing = await app.Api().PostAsync(Register, Body("i@example.com"));
        missing.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("INVITATION_CODE_REQUIRED", missing.Body.GetProperty("reason").GetString());
        var wrongType = await app.Api().PostAsync(Register, Body("i@example.com", invitation: balanceCode));
        Assert.Equal("INVITATION_CODE_INVALID", wrongType.ShouldFail(HttpStatusCode.BadRequest).Body.GetProperty("reason").GetString());

        Assert.True((await app.Api().PostAsync("/api/v1/auth/validate-invitation-code", new { code })).Data.GetProperty("valid").GetBoolean());
        var registered = (await app.Api().PostAsync(Register, Body("i@example.com", invitation: code))).Data;
        var userId = registered.GetProperty("user").GetProperty("id").GetInt64();
        var row = (await admin.GetAsync($"{RedeemCodes}/{id}")).Data;
        Assert.Equal("used", row.GetProperty("status").GetString());
        Assert.Equal(userId, row.GetProperty("used_by").GetInt64());

        var reused = await app.Api().PostAsync(Register, Body("j@example.com", invitation: code));
        Assert.Equal("INVITATION_CODE_INVALID", reused.ShouldFail(HttpStatusCode.BadRequest).Body.GetProperty("reason").GetString());
        var check = (await app.Api().PostAsync("/api/v1/auth/validate-invitation-code", new { code })).Data;
        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.Equal("INVITATION_CODE_USED", check.GetProperty("error_code").GetString());
        Assert.Equal("INVITATION_CODE_NOT_FOUND", (await app.Api().PostAsync("/api/v1/auth/validate-invitation-code", new { code = "NOPE" })).Data.GetProperty("error_code").GetString());
        Assert.Equal("INVITATION_CODE_INVALID", (await app.Api().PostAsync("/api/v1/auth/validate-invitation-code", new { code = balanceCode })).Data.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Invitation_WhenTheFeatureIsOff_IsNotNeeded()
    {
        await using var app = new Sub2ApiFactory();
        _ = await AppWithAsync(app, promo: false, invitation: false);
        _ = (await app.Api().PostAsync(Register, Body("free@example.com"))).Data;
        var check = (await app.Api().PostAsync("/api/v1/auth/validate-invitation-code", new { code = "ANY" })).Data;
        Assert.Equal("INVITATION_CODE_DISABLED", check.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task CodeChecks_AreRateLimitedPerIp()
    {
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["Auth:LoginPermitsPerMinute"] = "3" });
        var results = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            results.Add((await app.Api().PostAsync("/api/v1/auth/validate-invitation-code", new { code = "X" })).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, results[^1]);
    }
}

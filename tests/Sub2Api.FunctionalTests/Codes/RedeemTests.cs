using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;
using static Sub2Api.FunctionalTests.Codes.CodesTestKit;

namespace Sub2Api.FunctionalTests.Codes;

public sealed class RedeemTests
{
    [Fact]
    public async Task Redeem_Balance_AddsValueOnce_AndAnswersWithTheNewBalance()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.CreateUserAsync("bal@example.com", balance: 1.25m);
        var (code, _) = await OneCodeAsync(admin, "balance", 10.000000000001m);

        var result = (await user.PostAsync("/api/v1/redeem", new { code = $"  {code} " })).Data;
        Assert.Equal("balance", result.GetProperty("type").GetString());
        Assert.Equal("used", result.GetProperty("status").GetString());
        Assert.Equal(userId, result.GetProperty("used_by").GetInt64());
        Assert.Equal(11.250000000001m, result.GetProperty("new_balance").GetDecimal());
        Assert.False(result.TryGetProperty("notes", out _));
        Assert.Equal(11.250000000001m, (await MeAsync(user)).GetProperty("balance").GetDecimal());

        var again = await user.PostAsync("/api/v1/redeem", new { code });
        again.ShouldFail(HttpStatusCode.Conflict);
        Assert.Equal("REDEEM_CODE_USED", again.Body.GetProperty("reason").GetString());
        Assert.Equal(11.250000000001m, (await MeAsync(user)).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Redeem_Concurrency_AddsSlots()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("conc@example.com");
        var before = (await MeAsync(user)).GetProperty("concurrency").GetInt32();
        var (code, _) = await OneCodeAsync(admin, "concurrency", 3m);
        var result = (await user.PostAsync("/api/v1/redeem", new { code })).Data;
        Assert.Equal(before + 3, result.GetProperty("new_concurrency").GetInt32());
        Assert.Equal(before + 3, (await MeAsync(user)).GetProperty("concurrency").GetInt32());
    }

    [Fact]
    public async Task Redeem_Subscription_AssignsThenExtends_AndAMissingGroupIsInvalid()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.CreateUserAsync("sub@example.com");
        var group = await SubscriptionGroupAsync(admin);
        var (first, _) = await OneCodeAsync(admin, "subscription", 1m, group, 10);
        var (second, _) = await OneCodeAsync(admin, "subscription", 1m, group, 5);

        var r1 = (await user.PostAsync("/api/v1/redeem", new { code = first })).Data;
        var expires1 = r1.GetProperty("subscription_expires_at").GetDateTime();
        Assert.InRange(expires1 - DateTime.UtcNow, TimeSpan.FromDays(9.9), TimeSpan.FromDays(10.1));
        var r2 = (await user.PostAsync("/api/v1/redeem", new { code = second })).Data;
        Assert.Equal(expires1.AddDays(5), r2.GetProperty("subscription_expires_at").GetDateTime());
        Assert.Equal(1, await app.WithDbAsync(db => db.UserSubscriptions.CountAsync(s => s.UserId == userId && s.GroupId == group)));

        // The group is gone by the time the code is redeemed: 400, and the code stays unused.
        var (orphan, orphanId) = await OneCodeAsync(admin, "subscription", 1m, group, 5);
        await app.WithDbAsync(db => db.Groups.Where(g => g.Id == group).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, DateTime.UtcNow)));
        var failed = await user.PostAsync("/api/v1/redeem", new { code = orphan });
        failed.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("REDEEM_CODE_INVALID", failed.Body.GetProperty("reason").GetString());
        Assert.Equal("unused", (await admin.GetAsync($"{RedeemCodes}/{orphanId}")).Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Redeem_Errors_UnknownIs404_InvitationIs400_EmptyIs400_AndAnonymousIs401()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("err@example.com");
        var unknown = await user.PostAsync("/api/v1/redeem", new { code = "AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD" });
        unknown.ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal("REDEEM_CODE_NOT_FOUND", unknown.Body.GetProperty("reason").GetString());

        var (invitation, _) = await OneCodeAsync(admin, "invitation", 0m);
        var inv = await user.PostAsync("/api/v1/redeem", new { code = invitation });
        inv.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal("REDEEM_CODE_INVALID", inv.Body.GetProperty("reason").GetString());

        (await user.PostAsync("/api/v1/redeem", new { code = "" })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PostAsync("/api/v1/redeem", new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PostAsync("/api/v1/redeem", new { code = new string('A', 5000) })).ShouldFail(HttpStatusCode.NotFound);
        (await app.Api().PostAsync("/api/v1/redeem", new { code = invitation })).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Redeem_After20FailuresInAnHour_Is429_EvenForAValidCode()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("guess@example.com");
        var (other, _) = await app.CreateUserAsync("honest@example.com");
        var (code, _) = await OneCodeAsync(admin);
        for (var i = 0; i < 20; i++)
        {
            (await user.PostAsync("/api/v1/redeem", new { code = $"GUESS-{i}" })).ShouldFail(HttpStatusCode.NotFound);
        }
        var limited = await user.PostAsync("/api/v1/redeem", new { code });
        limited.ShouldFail(HttpStatusCode.TooManyRequests);
        Assert.Equal("REDEEM_RATE_LIMITED", limited.Body.GetProperty("reason").GetString());
        // The limit is per user: another user redeems normally.
        _ = (await other.PostAsync("/api/v1/redeem", new { code })).Data;
    }

    [Fact]
    public async Task History_ListsTheUsersCodesWithoutNotes_AsArrayOrPage()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.CreateUserAsync("hist@example.com");
        var (someoneElse, _) = await app.CreateUserAsync("else@example.com");
        var (a, _) = await OneCodeAsync(admin, "balance", 1m);
        var (b, _) = await OneCodeAsync(admin, "concurrency", 2m);
        var (c, _) = await OneCodeAsync(admin, "balance", 3m);
        _ = (await user.PostAsync("/api/v1/redeem", new { code = a })).Data;
        _ = (await user.PostAsync("/api/v1/redeem", new { code = b })).Data;
        _ = (await someoneElse.PostAsync("/api/v1/redeem", new { code = c })).Data;

        var history = await user.GetAsync("/api/v1/redeem/history");
        var items = history.Data.EnumerateArray().ToArray();
        Assert.Equal([b, a], items.Select(i => i.GetProperty("code").GetString()));
        Assert.DoesNotContain("secret admin note", history.Body.GetRawText());
        Assert.All(items, i => Assert.Equal(userId, i.GetProperty("used_by").GetInt64()));

        var page = (await user.GetAsync("/api/v1/redeem/history?page=1&page_size=1")).Data;
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Single(page.GetProperty("items").EnumerateArray());
        (await user.GetAsync("/api/v1/redeem/history?page=-1")).ShouldFail(HttpStatusCode.BadRequest);
        (await app.Api().GetAsync("/api/v1/redeem/history")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Redeem_TheSameCodeConcurrently_FromTwoUsers_ExactlyOneWins()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (alice, aliceId) = await app.CreateUserAsync("alice@example.com");
        var (bob, bobId) = await app.CreateUserAsync("bob@example.com");
        for (var round = 0; round < 5; round++)
        {
            var (code, _) = await OneCodeAsync(admin, "balance", 7m);
            var results = await Task.WhenAll(alice.PostAsync("/api/v1/redeem", new { code }), bob.PostAsync("/api/v1/redeem", new { code }));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        }
        var total = await app.WithDbAsync(db => db.Users.Where(u => u.Id == aliceId || u.Id == bobId).Select(u => u.Balance).ToListAsync());
        Assert.Equal(35m, total.Sum());
    }

    [Fact]
    public async Task Redeem_TheSameCodeConcurrently_FromOneUser_AddsTheValueOnce()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("twice@example.com");
        for (var round = 0; round < 5; round++)
        {
            var (code, _) = await OneCodeAsync(admin, "balance", 2m);
            var results = await Task.WhenAll(user.PostAsync("/api/v1/redeem", new { code }), user.PostAsync("/api/v1/redeem", new { code }));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        }
        Assert.Equal(10m, (await MeAsync(user)).GetProperty("balance").GetDecimal());
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using static Sub2Api.FunctionalTests.Codes.CodesTestKit;

namespace Sub2Api.FunctionalTests.Codes;

public sealed partial class AdminRedeemCodesTests(SharedCodesApp shared) : IClassFixture<SharedCodesApp>
{
    [GeneratedRegex("^[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}$")]
    private static partial Regex CodeShape();

    [Fact]
    public async Task Generate_Balance_CreatesUnusedCodesInTheOriginalsShape()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var codes = await GenerateAsync(admin, new { count = 3, type = "balance", value = 12.345678901234m, notes = "batch A" });
        Assert.Equal(3, codes.Length);
        Assert.Equal(3, codes.Select(c => c.GetProperty("code").GetString()).Distinct().Count());
        foreach (var c in codes)
        {
            Assert.Matches(CodeShape(), c.GetProperty("code").GetString());
            Assert.Equal("balance", c.GetProperty("type").GetString());
            Assert.Equal(12.345678901234m, c.GetProperty("value").GetDecimal());
            Assert.Equal("unused", c.GetProperty("status").GetString());
            Assert.Equal("batch A", c.GetProperty("notes").GetString());
            Assert.Equal(30, c.GetProperty("validity_days").GetInt32());
        }
    }

    [Fact]
    public async Task Generate_Invitation_ForcesValueToZero_Subscription_NeedsASubscriptionGroup()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var invitation = (await GenerateAsync(admin, new { count = 1, type = "invitation", value = 9m }))[0];
        Assert.Equal(0m, invitation.GetProperty("value").GetDecimal());

        var standard = await StandardGroupAsync(admin);
        var sub = await SubscriptionGroupAsync(admin);
        (await admin.PostAsync($"{RedeemCodes}/generate", new { count = 1, type = "subscription", value = 1 })).ShouldFail(HttpStatusCode.BadRequest);
        var notSub = await admin.PostAsync($"{RedeemCodes}/generate", new { count = 1, type = "subscription", value = 1, group_id = standard });
        notSub.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("subscription group", notSub.Message);
        (await admin.PostAsync($"{RedeemCodes}/generate", new { count = 1, type = "subscription", value = 1, group_id = 99999 })).ShouldFail(HttpStatusCode.BadRequest);

        var code = (await GenerateAsync(admin, new { count = 1, type = "subscription", value = 1, group_id = sub, validity_days = 90 }))[0];
        Assert.Equal(sub, code.GetProperty("group_id").GetInt64());
        Assert.Equal(90, code.GetProperty("validity_days").GetInt32());
        Assert.Equal("monthly", code.GetProperty("group").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"type":"balance","value":1}""", "count")]
    [InlineData("""{"count":0,"type":"balance","value":1}""", "count")]
    [InlineData("""{"count":101,"type":"balance","value":1}""", "count")]
    [InlineData("""{"count":1,"type":"admin_balance","value":1}""", "type")]
    [InlineData("""{"count":1,"type":"balance","value":0}""", "value")]
    [InlineData("""{"count":1,"type":"balance","value":-1}""", "value")]
    [InlineData("""{"count":1,"type":"balance"}""", "value")]
    [InlineData("""{"count":1,"type":"balance","value":7.9e28}""", "value")]
    [InlineData("""{"count":1,"type":"concurrency","value":1.5}""", "value")]
    [InlineData("""{"count":1,"type":"balance","value":1,"validity_days":0}""", "validity_days")]
    [InlineData("""{"count":1,"type":"balance","value":1,"validity_days":36501}""", "validity_days")]
    [InlineData("""{"count":"x","type":"balance","value":1}""", "count")]
    public async Task Generate_BadInput_Is400NamingTheField(string body, string field)
    {
        var admin = await shared.App.AdminAsync();
        var result = await admin.SendRawAsync(HttpMethod.Post, $"{RedeemCodes}/generate", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task List_FiltersByTypeStatusAndSearch_AndLeavesOutTheBalanceHistory()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.CreateUserAsync("lister@example.com");
        var (balanceCode, _) = await OneCodeAsync(admin, "balance", 1m);
        _ = await OneCodeAsync(admin, "concurrency", 2m);
        _ = await OneCodeAsync(admin, "invitation", 0m);
        // An admin balance adjustment writes an admin_balance row into the same table.
        _ = (await admin.PostAsync($"/api/v1/admin/users/{userId}/balance", new { balance = 3m, operation = "add" })).Data;
        _ = (await user.PostAsync("/api/v1/redeem", new { code = balanceCode })).Data;

        var all = (await admin.GetAsync(RedeemCodes)).Data;
        Assert.Equal(3, all.GetProperty("total").GetInt64());
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), c => c.GetProperty("type").GetString()!.StartsWith("admin_", StringComparison.Ordinal));

        Assert.Equal(1, (await admin.GetAsync($"{RedeemCodes}?type=concurrency")).Data.GetProperty("total").GetInt64());
        var used = (await admin.GetAsync($"{RedeemCodes}?status=used")).Data.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(balanceCode, used.GetProperty("code").GetString());
        Assert.Equal(userId, used.GetProperty("used_by").GetInt64());
        Assert.Equal("lister@example.com", used.GetProperty("user").GetProperty("email").GetString());

        Assert.Equal(1, (await admin.GetAsync($"{RedeemCodes}?search={balanceCode[..8].ToLowerInvariant()}")).Data.GetProperty("total").GetInt64());
        Assert.Equal(1, (await admin.GetAsync($"{RedeemCodes}?search=lister@")).Data.GetProperty("total").GetInt64());
        var paged = (await admin.GetAsync($"{RedeemCodes}?page=2&page_size=2")).Data;
        Assert.Single(paged.GetProperty("items").EnumerateArray());
        Assert.Equal(2, paged.GetProperty("pages").GetInt32());

        (await admin.GetAsync($"{RedeemCodes}?type=admin_balance")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{RedeemCodes}?status=gone")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{RedeemCodes}?page=0")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Stats_CountByStatusAndType_AndSumRedeemedBalance()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.CreateUserAsync("stats@example.com");
        var (a, _) = await OneCodeAsync(admin, "balance", 2.5m);
        _ = await OneCodeAsync(admin, "balance", 100m);
        var (_, expireId) = await OneCodeAsync(admin, "concurrency", 1m);
        _ = (await admin.PostAsync($"/api/v1/admin/users/{userId}/balance", new { balance = 50m, operation = "add" })).Data;
        _ = (await user.PostAsync("/api/v1/redeem", new { code = a })).Data;
        _ = (await admin.PostAsync($"{RedeemCodes}/{expireId}/expire")).Data;

        var stats = (await admin.GetAsync($"{RedeemCodes}/stats")).Data;
        Assert.Equal(3, stats.GetProperty("total_codes").GetInt64());
        Assert.Equal(1, stats.GetProperty("active_codes").GetInt64());
        Assert.Equal(1, stats.GetProperty("used_codes").GetInt64());
        Assert.Equal(1, stats.GetProperty("expired_codes").GetInt64());
        Assert.Equal(2.5m, stats.GetProperty("total_value_distributed").GetDecimal());
        Assert.Equal(2, stats.GetProperty("by_type").GetProperty("balance").GetInt64());
        Assert.Equal(1, stats.GetProperty("by_type").GetProperty("concurrency").GetInt64());
        Assert.Equal(0, stats.GetProperty("by_type").GetProperty("invitation").GetInt64());
    }

    [Fact]
    public async Task GetExpireDelete_AndUnknownIds()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("expire@example.com");
        var (code, id) = await OneCodeAsync(admin);
        var got = (await admin.GetAsync($"{RedeemCodes}/{id}")).Data;
        Assert.Equal(code, got.GetProperty("code").GetString());
        Assert.Equal("secret admin note", got.GetProperty("notes").GetString());

        var expired = (await admin.PostAsync($"{RedeemCodes}/{id}/expire")).Data;
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        (await user.PostAsync("/api/v1/redeem", new { code })).ShouldFail(HttpStatusCode.Conflict);

        var (usedCode, usedId) = await OneCodeAsync(admin);
        _ = (await user.PostAsync("/api/v1/redeem", new { code = usedCode })).Data;
        (await admin.PostAsync($"{RedeemCodes}/{usedId}/expire")).ShouldFail(HttpStatusCode.Conflict);

        _ = (await admin.DeleteAsync($"{RedeemCodes}/{id}")).Data;
        (await admin.GetAsync($"{RedeemCodes}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{RedeemCodes}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync($"{RedeemCodes}/99999/expire")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{RedeemCodes}/abc")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminBalanceRows_AreInvisibleToEveryCodeRoute()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.CreateUserAsync("history@example.com");
        _ = (await admin.PostAsync($"/api/v1/admin/users/{userId}/balance", new { balance = 3m, operation = "add" })).Data;
        var rowId = await app.WithDbAsync(db => db.RedeemCodes.Where(r => r.Type == RedeemTypes.AdminBalance).Select(r => r.Id).SingleAsync());
        (await admin.GetAsync($"{RedeemCodes}/{rowId}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{RedeemCodes}/{rowId}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal(0, (await admin.PostAsync($"{RedeemCodes}/batch-delete", new { ids = new[] { rowId } })).Data.GetProperty("deleted").GetInt32());
        Assert.Equal(1, await app.WithDbAsync(db => db.RedeemCodes.CountAsync()));
    }

    [Fact]
    public async Task BatchDelete_DeletesTheGivenCodes()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var codes = await GenerateAsync(admin, new { count = 4, type = "balance", value = 1m });
        var ids = codes.Take(3).Select(c => c.GetProperty("id").GetInt64()).Append(99999).ToArray();
        var result = (await admin.PostAsync($"{RedeemCodes}/batch-delete", new { ids })).Data;
        Assert.Equal(3, result.GetProperty("deleted").GetInt32());
        Assert.Equal(1, (await admin.GetAsync(RedeemCodes)).Data.GetProperty("total").GetInt64());
        (await admin.PostAsync($"{RedeemCodes}/batch-delete", new { ids = Array.Empty<long>() })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"{RedeemCodes}/batch-delete", new { })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Export_IsACsvWithHeaderAndFilters_AndDefusesFormulas()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (code, id) = await OneCodeAsync(admin, "balance", 1.5m);
        var (other, _) = await OneCodeAsync(admin, "concurrency", 3m);
        // A user whose email a spreadsheet would run as a formula.
        var userId = await app.WithDbAsync(async db =>
        {
            var u = new User { Email = "=HYPERLINK(\"http://evil\")@example.com", PasswordHash = "x" };
            db.Users.Add(u);
            await db.SaveChangesAsync();
            await db.RedeemCodes.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, Statuses.Used).SetProperty(r => r.UsedBy, u.Id)
                .SetProperty(r => r.UsedAt, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
            return u.Id;
        });

        var response = await admin.Http.GetAsync($"{RedeemCodes}/export?type=balance");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("redeem_codes.csv", response.Content.Headers.ContentDisposition!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,code,type,value,status,used_by,used_by_email,used_at,created_at", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{id},{code},balance,1.5,used,{userId},\"'=HYPERLINK(\"\"http://evil\"\")@example.com\",2026-01-02 03:04:05,", lines[1]);
        Assert.DoesNotContain(other, lines[1]);

        var all = await (await admin.Http.GetAsync($"{RedeemCodes}/export")).Content.ReadAsStringAsync();
        Assert.Contains(other, all);
        (await admin.GetAsync($"{RedeemCodes}/export?status=nope")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminRoutes_User_Is403_Anonymous_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("plain@example.com");
        foreach (var path in new[] { RedeemCodes, $"{RedeemCodes}/stats", $"{RedeemCodes}/export", $"{RedeemCodes}/1" })
        {
            (await user.GetAsync(path)).ShouldFail(HttpStatusCode.Forbidden);
            (await app.Api().GetAsync(path)).ShouldFail(HttpStatusCode.Unauthorized);
        }
        (await user.PostAsync($"{RedeemCodes}/generate", new { count = 1, type = "balance", value = 1 })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{RedeemCodes}/batch-delete", new { ids = new[] { 1 } })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{RedeemCodes}/1/expire")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.DeleteAsync($"{RedeemCodes}/1")).ShouldFail(HttpStatusCode.Forbidden);
    }
}

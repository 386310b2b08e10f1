using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Ops.ErrorLog;

namespace Sub2Api.FunctionalTests.Ops.ErrorLog;

/// <summary>
/// The error-log routes over rows written directly: every filter narrows, paging and order hold, a bad filter is a
/// 400, an unknown id a 404, a non-admin a 403; resolving records who and when; retention deletes old rows only.
/// </summary>
public sealed class OpsErrorsApiTests
{
    private const string Base = "/api/v1/admin/ops";

    private static long[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();

    [Fact]
    public async Task Filters_Paging_AndNewestFirst()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var now = DateTime.UtcNow;
        await OpsErrorRows.AddAsync(app,
            OpsErrorRows.Row("request", now.AddMinutes(-50), status: 502, requestId: "req-alpha", message: "Upstream Exploded", accountId: 7,
                groupId: 3, severity: "P1"),
            OpsErrorRows.Row("upstream", now.AddMinutes(-40), status: 429, requestId: "req-alpha", accountId: 7, groupId: 3, severity: "P3",
                platform: "openai", model: "gpt-5"),
            OpsErrorRows.Row("request", now.AddMinutes(-30), status: 401, requestId: "req-beta", phase: "auth", owner: "client",
                severity: "P3", model: null, platform: null),
            OpsErrorRows.Row("request", now.AddHours(-3), status: 500, requestId: "req-old"),
            OpsErrorRows.Row("upstream", now.AddDays(-2), status: 500, requestId: "req-older"));
        var all = await OpsErrorRows.AllAsync(app);
        long Id(string requestId, string kind) => all.Single(e => e.RequestId == requestId && e.Kind == kind).Id;

        // Default window: the last hour, newest first.
        var page = (await admin.GetAsync($"{Base}/errors")).Data;
        Assert.Equal([Id("req-beta", "request"), Id("req-alpha", "upstream"), Id("req-alpha", "request")], Ids(page));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(5, (await admin.GetAsync($"{Base}/errors?time_range=7d")).Data.GetProperty("total").GetInt64());
        Assert.Equal(4, (await admin.GetAsync($"{Base}/errors?time_range=24h")).Data.GetProperty("total").GetInt64());
        var start = Uri.EscapeDataString(now.AddHours(-4).ToString("O"));
        var end = Uri.EscapeDataString(now.AddHours(-2).ToString("O"));
        Assert.Equal([Id("req-old", "request")], Ids((await admin.GetAsync($"{Base}/errors?start_time={start}&end_time={end}")).Data));

        async Task<long[]> Query(string path) => Ids((await admin.GetAsync(path)).Data);
        Assert.Equal([Id("req-beta", "request"), Id("req-alpha", "request")], await Query($"{Base}/request-errors"));
        Assert.Equal([Id("req-alpha", "upstream")], await Query($"{Base}/upstream-errors"));
        Assert.Equal([Id("req-alpha", "upstream")], await Query($"{Base}/errors?kind=upstream"));
        Assert.Equal([Id("req-alpha", "upstream")], await Query($"{Base}/errors?platform=openai"));
        Assert.Equal([Id("req-alpha", "upstream"), Id("req-alpha", "request")], await Query($"{Base}/errors?account_id=7"));
        Assert.Equal([Id("req-alpha", "upstream"), Id("req-alpha", "request")], await Query($"{Base}/errors?group_id=3"));
        Assert.Equal([Id("req-beta", "request")], await Query($"{Base}/errors?phase=auth"));
        Assert.Equal([Id("req-beta", "request")], await Query($"{Base}/errors?error_owner=client"));
        Assert.Equal([Id("req-beta", "request"), Id("req-alpha", "upstream")], await Query($"{Base}/errors?severity=P3"));
        Assert.Equal([Id("req-beta", "request"), Id("req-alpha", "request")], await Query($"{Base}/errors?status_codes=401,%20502"));
        Assert.Equal([Id("req-alpha", "upstream")], await Query($"{Base}/errors?model=gpt-5"));
        Assert.Equal([Id("req-alpha", "request")], await Query($"{Base}/errors?q=exploded"));
        Assert.Equal([Id("req-beta", "request")], await Query($"{Base}/errors?q=REQ-BE"));
        Assert.Equal(3, (await Query($"{Base}/errors?resolved=false")).Length);
        Assert.Empty(await Query($"{Base}/errors?resolved=true"));

        // Paging.
        var second = (await admin.GetAsync($"{Base}/errors?page=2&page_size=2")).Data;
        Assert.Equal([Id("req-alpha", "request")], Ids(second));
        Assert.Equal(3, second.GetProperty("total").GetInt64());
        Assert.Equal(2, second.GetProperty("pages").GetInt32());
        Assert.Equal(2, second.GetProperty("page_size").GetInt32());
        Assert.Equal(500, (await admin.GetAsync($"{Base}/errors?page_size=5000")).Data.GetProperty("page_size").GetInt32());

        // The item carries every field of the shared row shape.
        var item = (await admin.GetAsync($"{Base}/errors?q=exploded")).Data.GetProperty("items")[0];
        string[] fields = ["id", "created_at", "kind", "phase", "type", "error_owner", "severity", "status_code", "platform", "model",
            "request_id", "message", "user_id", "user_email", "api_key_id", "account_id", "account_name", "group_id", "group_name",
            "client_ip", "request_path", "stream", "upstream_status_code", "failed_over", "attempt", "duration_ms", "resolved", "resolved_at"];
        Assert.Equal(fields.Order(StringComparer.Ordinal), item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BadFilter_Is400_NamingTheField()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (string Query, string Field)[] cases =
        [
            ("status_codes=abc", "status_codes"),
            ("status_codes=500,5x", "status_codes"),
            ("time_range=2y", "time_range"),
            ("start_time=yesterday", "start_time"),
            ("start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "start_time"),
            ("page_size=0", "page_size"),
            ("page=-1", "page"),
            ("resolved=maybe", "resolved"),
            ("account_id=x", "account_id"),
            ("group_id=0", "group_id"),
            ("kind=other", "kind"),
        ];
        foreach (var (query, field) in cases)
        {
            var result = (await admin.GetAsync($"{Base}/errors?{query}")).ShouldFail(HttpStatusCode.BadRequest);
            Assert.True(result.Message.Contains(field, StringComparison.Ordinal), $"{query}: {result.Message}");
        }
        (await admin.GetAsync($"{Base}/upstream-errors?status_codes=abc")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"{Base}/request-errors?time_range=2y")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownOrMalformedId_Is404Or400_AndUsersAreRefused()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        foreach (var path in new[] { "errors/999", "request-errors/999", "upstream-errors/999", "request-errors/999/upstream-errors" })
        {
            (await admin.GetAsync($"{Base}/{path}")).ShouldFail(HttpStatusCode.NotFound);
        }
        (await admin.PutAsync($"{Base}/errors/999/resolve", new { resolved = true })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Base}/errors/abc")).ShouldFail(HttpStatusCode.BadRequest);

        var (user, _) = await app.CreateUserAsync("ops-user@example.com");
        foreach (var path in new[] { "errors", "request-errors", "upstream-errors", "errors/1" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync($"{Base}/{path}")).Status);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PutAsync($"{Base}/errors/1/resolve", new { resolved = true })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api().GetAsync($"{Base}/errors")).Status);
    }

    [Fact]
    public async Task Resolve_RoundTrip_RecordsWhoAndWhen()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await OpsErrorRows.AddAsync(app, OpsErrorRows.Row("request", DateTime.UtcNow.AddMinutes(-1), requestId: "r1"),
            OpsErrorRows.Row("upstream", DateTime.UtcNow.AddMinutes(-1), requestId: "r1"));
        var rows = await OpsErrorRows.AllAsync(app);
        var request = rows.Single(e => e.Kind == "request");
        var upstream = rows.Single(e => e.Kind == "upstream");
        var adminId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == Sub2ApiFactory.AdminEmail).Select(u => u.Id).FirstAsync());

        var resolved = (await admin.PutAsync($"{Base}/request-errors/{request.Id}/resolve", new { resolved = true })).Data;
        Assert.True(resolved.GetProperty("resolved").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, resolved.GetProperty("resolved_at").ValueKind);
        var stored = (await OpsErrorRows.AllAsync(app)).Single(e => e.Id == request.Id);
        Assert.True(stored.Resolved);
        Assert.Equal(adminId, stored.ResolvedByUserId);
        Assert.NotNull(stored.ResolvedAt);
        Assert.Equal([request.Id], Ids((await admin.GetAsync($"{Base}/errors?resolved=true")).Data));

        // The kind-specific route refuses the other kind; the combined one takes either.
        (await admin.PutAsync($"{Base}/upstream-errors/{request.Id}/resolve", new { resolved = false })).ShouldFail(HttpStatusCode.NotFound);
        Assert.True((await admin.PutAsync($"{Base}/upstream-errors/{upstream.Id}/resolve", new { resolved = true })).Data
            .GetProperty("resolved").GetBoolean());

        var reopened = (await admin.PutAsync($"{Base}/errors/{request.Id}/resolve", new { resolved = false })).Data;
        Assert.False(reopened.GetProperty("resolved").GetBoolean());
        stored = (await OpsErrorRows.AllAsync(app)).Single(e => e.Id == request.Id);
        Assert.False(stored.Resolved);
        Assert.Null(stored.ResolvedAt);
        Assert.Null(stored.ResolvedByUserId);

        (await admin.PutAsync($"{Base}/errors/{request.Id}/resolve", new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.SendRawAsync(HttpMethod.Put, $"{Base}/errors/{request.Id}/resolve", """{"resolved":"yes"}"""))
            .ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Retention_DeletesRowsPastTheSetting_AndRefusesLessThanADay()
    {
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["Ops:ErrorLog:RetentionChunkSize"] = "2" });
        var admin = await app.AdminAsync();
        Assert.Equal(30, (await admin.GetAsync("/api/v1/admin/settings")).Data.GetProperty("ops_error_log_retention_days").GetInt32());
        (await admin.PutAsync("/api/v1/admin/settings", new { ops_error_log_retention_days = 0 })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(7, (await admin.PutAsync("/api/v1/admin/settings", new { ops_error_log_retention_days = 7 })).Data
            .GetProperty("ops_error_log_retention_days").GetInt32());
        var now = DateTime.UtcNow;
        await OpsErrorRows.AddAsync(app,
            OpsErrorRows.Row("request", now.AddDays(-40), requestId: "old-1"),
            OpsErrorRows.Row("upstream", now.AddDays(-8), requestId: "old-2"),
            OpsErrorRows.Row("request", now.AddDays(-7.5), requestId: "old-3"),
            OpsErrorRows.Row("request", now.AddDays(-6), requestId: "kept-1"),
            OpsErrorRows.Row("upstream", now.AddMinutes(-1), requestId: "kept-2"));

        // Chunks of 2: the three old rows take two deletes in one run.
        await app.Services.GetRequiredService<OpsErrorRetention>().PurgeAsync(CancellationToken.None);

        Assert.Equal(["kept-1", "kept-2"], (await OpsErrorRows.AllAsync(app)).Select(e => e.RequestId));
        Assert.Equal(0, await app.Services.GetRequiredService<OpsErrorRetention>().PurgeAsync(CancellationToken.None));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Ops.ErrorLog;

namespace Sub2Api.IntegrationTests;

/// <summary>
/// The ops error log on PostgreSQL: the writer's batched inserts of real relay failures, the list filters
/// (case-insensitive search, status list, UTC time window), the names lookup, resolve, and the chunked retention delete.
/// </summary>
public sealed class OpsErrorLogPostgresTests
{
    [Fact]
    public async Task RelayFailures_AreWritten_Filtered_Resolved_AndExpired_InPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Ops:ErrorLog:RetentionChunkSize"] = "1",
        });
        var first = await s.AddApiKeyAccountAsync("err500", priority: 1);
        await s.AddApiKeyAccountAsync("err500", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var admin = await s.App.AdminAsync();
        await admin.PutAsync("/api/v1/admin/settings", new { ops_capture_request_body = true });

        var (status, _) = await s.SendAsync(key, text: "hello sk-ant-api03-THISISASECRETKEY");
        Assert.True((int)status >= 500);
        var writer = s.App.Services.GetRequiredService<OpsErrorWriter>();
        List<OpsErrorLog> rows;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            while (true)
            {
                await writer.FlushAsync(deadline.Token);
                rows = await s.App.WithDbAsync(db => db.OpsErrorLogs.AsNoTracking().OrderBy(e => e.Id).ToListAsync());
                if (rows.Any(e => e.Kind == OpsErrorKinds.Request))
                {
                    break;
                }
                await Task.Delay(20, deadline.Token);
            }
        }
        var request = Assert.Single(rows, e => e.Kind == OpsErrorKinds.Request);
        Assert.Equal(DateTimeKind.Utc, request.CreatedAt.Kind);
        Assert.DoesNotContain("THISISASECRETKEY", request.RequestBody, StringComparison.Ordinal);

        var search = request.RequestId[..8].ToUpperInvariant();
        var found = (await admin.GetAsync($"/api/v1/admin/ops/request-errors?q={search}&status_codes={request.StatusCode},418")).Data;
        Assert.Equal(request.Id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        var upstream = (await admin.GetAsync($"/api/v1/admin/ops/upstream-errors?account_id={first}&time_range=5m")).Data
            .GetProperty("items")[0];
        Assert.Equal("claude", upstream.GetProperty("group_name").GetString());
        var detail = (await admin.GetAsync($"/api/v1/admin/ops/request-errors/{request.Id}")).Data;
        Assert.Equal(2, detail.GetProperty("upstream_errors").GetArrayLength());
        Assert.True((await admin.PutAsync($"/api/v1/admin/ops/errors/{request.Id}/resolve", new { resolved = true })).Data
            .GetProperty("resolved").GetBoolean());
        Assert.Equal(1, (await admin.GetAsync("/api/v1/admin/ops/errors?resolved=true")).Data.GetProperty("total").GetInt64());

        // Retention: the rows older than 30 days go, one row per DELETE here; the fresh ones stay.
        await s.App.WithDbAsync(async db =>
        {
            foreach (var days in new[] { 31, 45, 90 })
            {
                db.OpsErrorLogs.Add(new OpsErrorLog
                {
                    Kind = OpsErrorKinds.Upstream, CreatedAt = DateTime.UtcNow.AddDays(-days), Phase = "upstream", Type = "server_error",
                    Owner = "provider", Severity = "P2", StatusCode = 500, RequestId = $"old-{days}", Message = "old",
                });
            }
            await db.SaveChangesAsync();
        });
        await s.App.Services.GetRequiredService<OpsErrorRetention>().PurgeAsync(CancellationToken.None);
        Assert.Equal(rows.Count, await s.App.WithDbAsync(db => db.OpsErrorLogs.CountAsync()));
    }
}

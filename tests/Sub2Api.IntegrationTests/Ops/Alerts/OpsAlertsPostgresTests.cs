using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Ops.Alerts;

namespace Sub2Api.IntegrationTests.Ops.Alerts;

/// <summary>The alert evaluator's queries (sub-selects on accounts and groups, counts over a window) and the event
/// list's filters, on PostgreSQL.</summary>
public sealed class OpsAlertsPostgresTests
{
    [Fact]
    public async Task RulesMeasureFireAndList_InPostgres()
    {
        await using var database = await RealServers.CreatePostgresDatabaseAsync();
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Ops:Alerts:EvaluationInterval"] = "3600",
        });
        var admin = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var groupId = await app.WithDbAsync(async db =>
        {
            var group = new Group { Name = "alerts", Platform = Platforms.Anthropic };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        var broken = await TestSeed.AccountAsync(app, groupId, AccountTypes.ApiKey, new JsonObject { ["api_key"] = "sk-x" }, 50, 3);
        await TestSeed.AccountAsync(app, groupId, AccountTypes.ApiKey, new JsonObject { ["api_key"] = "sk-y" }, 50, 3);
        var now = DateTime.UtcNow;
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.FirstAsync(a => a.Id == broken);
            account.Status = Statuses.Error;
            OpsErrorLog Row(string kind, string owner) => new()
            {
                CreatedAt = now, Kind = kind, Phase = "upstream", Type = "api_error", Owner = owner, Severity = "P2", StatusCode = 502,
                Platform = Platforms.Anthropic, RequestId = Guid.NewGuid().ToString("N"), Message = "boom", AccountId = broken, GroupId = groupId,
            };
            db.OpsErrorLogs.AddRange(Row("request", "provider"), Row("request", "client"), Row("upstream", "provider"));
            await db.SaveChangesAsync();
        });

        object Rule(string metric, string op, double threshold, string severity) => new
        {
            name = metric, metric_type = metric, @operator = op, threshold, severity, window_minutes = 5, cooldown_minutes = 0,
            filters = new { platform = "anthropic", group_id = groupId },
        };
        foreach (var body in new[]
        {
            Rule("account_error_count", ">", 0, "P1"),
            Rule("error_rate", ">=", 100, "P0"),
            Rule("upstream_error_rate", "==", 100, "P2"),
            Rule("group_available_ratio", "<=", 50, "P2"),
            Rule("group_available_accounts", "<", 1, "P3"),
            Rule("account_rate_limited_count", ">", 0, "P3"),
            Rule("concurrency_queue_depth", ">", 0, "P3"),
            Rule("success_rate", "<", 100, "P3"),
        })
        {
            _ = (await admin.PostAsync("/api/v1/admin/ops/alert-rules", body)).Data;
        }
        var source = app.Services.GetRequiredService<AlertMetricSource>();
        Assert.Equal(0, await source.MeasureAsync("success_rate", 5, new AlertFilters("anthropic", groupId), DateTime.UtcNow, ct));

        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(ct);

        var firing = (await admin.GetAsync("/api/v1/admin/ops/alert-events?status=firing&time_range=1h&page_size=50")).Data;
        var names = firing.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("rule_name").GetString()).Order().ToList();
        // One counted failure (the client's own is left out) and no success: error 100 %, success 0 %, upstream 100 %;
        // one of the group's two accounts is in error: ratio 50 %. No rate limits, no queue, one account available.
        Assert.Equal(["account_error_count", "error_rate", "group_available_ratio", "success_rate", "upstream_error_rate"], names);
        Assert.Equal(1, (await admin.GetAsync("/api/v1/admin/ops/alert-events?severity=P0")).Data.GetProperty("total").GetInt64());
        Assert.Equal(0, (await admin.GetAsync($"/api/v1/admin/ops/alert-events?end_time={now.AddHours(-1):O}")).Data.GetProperty("total").GetInt64());

        var ruleId = firing.GetProperty("items")[0].GetProperty("rule_id").GetInt64();
        _ = (await admin.PostAsync("/api/v1/admin/ops/alert-silences", new { rule_id = ruleId, until = DateTime.UtcNow.AddHours(1), group_id = groupId })).Data;
        Assert.Equal(1, (await admin.GetAsync("/api/v1/admin/ops/alert-silences")).Data.GetArrayLength());
        _ = (await admin.DeleteAsync($"/api/v1/admin/ops/alert-rules/{ruleId}")).Data;
        Assert.Equal(0, (await admin.GetAsync("/api/v1/admin/ops/alert-silences")).Data.GetArrayLength());
        Assert.Equal(0, (await admin.GetAsync($"/api/v1/admin/ops/alert-events?rule_id={ruleId}")).Data.GetProperty("total").GetInt64());
    }
}

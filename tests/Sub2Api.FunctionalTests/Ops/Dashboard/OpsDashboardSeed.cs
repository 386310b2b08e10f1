using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Ops.Dashboard;

/// <summary>
/// A known hour of traffic (2026-05-01 10:00–11:00 UTC) for the ops dashboard tests, shared with the PostgreSQL
/// run: 18 successes with durations 50, 100 … 900 ms, 2 failed requests (950 and 1000 ms), 3 failed upstream
/// attempts, rows just outside the window that must not count, and two firing alerts.
/// </summary>
internal static class OpsDashboardSeed
{
    public static readonly DateTime Start = new(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc);
    public const string Window = "start_time=2026-05-01T10:00:00Z&end_time=2026-05-01T11:00:00Z";

    internal sealed record Seeded(long AccountA, long AccountB, string AccountAName, string AccountBName, long UserId, string UserEmail);

    /// <summary>Seeds the hour. Success i (0–17) is at minute i, 30 s in, with duration 50·(i+1) ms, ttft 10·(i+1) ms, 15 tokens.</summary>
    public static async Task<Seeded> SeedHourAsync(RelayScenario scenario)
    {
        var a = await scenario.AddApiKeyAccountAsync("ok");
        var b = await scenario.AddApiKeyAccountAsync("ok");
        var (_, userId, keyId) = await scenario.AddUserWithKeyAsync();
        var accounts = await scenario.App.WithDbAsync(db => Task.FromResult(db.Accounts.Where(x => x.Id == a || x.Id == b)
            .ToDictionary(x => x.Id, x => x.Name)));
        var email = await scenario.App.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == userId).Email));

        UsageLog Success(DateTime at, int durationMs, int? ttft, string requestId) => new()
        {
            UserId = userId,
            ApiKeyId = keyId,
            AccountId = a,
            GroupId = scenario.GroupId,
            RequestId = requestId,
            Model = "claude-sonnet-4-5",
            InputTokens = 10,
            OutputTokens = 5,
            TotalCost = 0.001m,
            ActualCost = 0.002m,
            DurationMs = durationMs,
            FirstTokenMs = ttft,
            Stream = true,
            CreatedAt = at,
        };
        OpsErrorLog Error(string kind, DateTime at, string type, int status, long? accountId, string message, int? durationMs,
            string requestId) => new()
        {
            CreatedAt = at,
            Kind = kind,
            Phase = "upstream",
            Type = type,
            Owner = "provider",
            Severity = "P2",
            StatusCode = status,
            Platform = Platforms.Anthropic,
            Model = "claude-opus-4-1",
            RequestId = requestId,
            Message = message,
            UserId = userId,
            ApiKeyId = keyId,
            AccountId = accountId,
            GroupId = scenario.GroupId,
            DurationMs = durationMs,
        };

        var successes = Enumerable.Range(0, 18)
            .Select(i => Success(Start.AddMinutes(i).AddSeconds(30), 50 * (i + 1), 10 * (i + 1), $"req-ok-{i:D2}"))
            .Append(Success(Start.AddSeconds(-1), 99_999, 99_999, "req-before")) // just before the window
            .Append(Success(Start.AddHours(1), 99_999, 99_999, "req-after")); // the end is excluded
        var errors = new[]
        {
            Error(OpsErrorKinds.Request, Start.AddMinutes(5).AddSeconds(10), "rate_limit_error", 429, a, "too many", 950, "req-err-1"),
            Error(OpsErrorKinds.Request, Start.AddMinutes(5).AddSeconds(50), "api_error", 502, null, "upstream failed", 1000, "req-err-2"),
            Error(OpsErrorKinds.Upstream, Start.AddMinutes(7), "RateLimited", 429, a, "first A failure", 30, "req-err-1"),
            Error(OpsErrorKinds.Upstream, Start.AddMinutes(7).AddSeconds(20), "ServerError", 500, a, "newest A failure", 40, "req-err-2"),
            Error(OpsErrorKinds.Upstream, Start.AddMinutes(7).AddSeconds(40), "ServerError", 500, b, "B failure", 50, "req-err-2"),
            Error(OpsErrorKinds.Request, Start.AddHours(-2), "api_error", 500, a, "long before", 5, "req-err-old"),
            Error(OpsErrorKinds.Upstream, Start.AddHours(2), "ServerError", 500, b, "long after", 5, "req-err-late"),
        };
        await scenario.App.WithDbAsync(async db =>
        {
            db.UsageLogs.AddRange(successes);
            db.OpsErrorLogs.AddRange(errors);
            db.OpsAlertEvents.AddRange(
                new OpsAlertEvent { RuleId = 1, Severity = "P1", Status = "firing", Title = "a", FiredAt = Start },
                new OpsAlertEvent { RuleId = 1, Severity = "P1", Status = "firing", Title = "b", FiredAt = Start },
                new OpsAlertEvent { RuleId = 1, Severity = "P1", Status = "resolved", Title = "c", FiredAt = Start });
            await db.SaveChangesAsync();
        });
        return new Seeded(a, b, accounts[a], accounts[b], userId, email);
    }
}

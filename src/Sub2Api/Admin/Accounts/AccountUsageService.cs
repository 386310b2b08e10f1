using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Accounts;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Providers.Anthropic.Usage;
using Sub2Api.Scheduling;

namespace Sub2Api.Admin.Accounts;

/// <summary>One usage window as the original's accounts page shows it (<c>utilization</c> in percent).</summary>
internal sealed record UsageProgress(double Utilization, DateTime? ResetsAt, long RemainingSeconds, AccountWindowStats? WindowStats);

/// <summary>
/// <c>GET /admin/accounts/:id/usage</c> (the original's UsageInfo): <c>source</c> "active" (read from the usage API) or
/// "passive" (estimated from the 5-hour window the relay tracks), and <c>error</c> when the read failed — answered
/// with what is known rather than as a 500, as the original does.
/// </summary>
internal sealed record AccountUsageInfo(string Source, DateTime? UpdatedAt, UsageProgress? FiveHour, UsageProgress? SevenDay,
    UsageProgress? SevenDayOpus, UsageProgress? SevenDaySonnet, string? Error);

/// <summary>
/// Usage windows per account. Claude OAuth accounts are read from the upstream usage API, cached one minute per account
/// (an admin page reload, or several admins, cost one upstream call a minute at most; concurrent reads share one
/// call; a failure is cached as long, so a 429 is not hammered). Setup-token accounts have only the inference scope,
/// which the usage API refuses, so their 5-hour window is estimated from the relay's own window tracking (the
/// original does the same). Each window carries the account's own usage since the window began.
/// </summary>
internal sealed class AccountUsageService(ClaudeUsageClient client, AccountHealth health, IDbContextFactory<Sub2ApiDbContext> dbFactory,
    TokenRefreshService tokens, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FiveHours = TimeSpan.FromHours(5);
    private static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<long, CachedReport> _cache = new();
    private readonly Lock _gate = new();

    private sealed record CachedReport(DateTime FetchedAt, Task<(ClaudeUsageReport? Report, string? Error)> Read);

    /// <summary>Null when the account's type has no usage windows (API-key accounts).</summary>
    public async Task<AccountUsageInfo?> GetAsync(AccountModel account, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var logs = db.UsageLogs.AsNoTracking();
        if (account.Platform == Platforms.OpenAI)
        {
            return account.Type == AccountTypes.OAuth ? await CodexSnapshotAsync(account, logs, now, cancellationToken) : null;
        }
        if (account.Type == AccountTypes.OAuth)
        {
            var cached = Read(account, now);
            var (report, error) = await cached.Read.WaitAsync(cancellationToken);
            if (report is null)
            {
                return new AccountUsageInfo("active", cached.FetchedAt, null, null, null, null, error);
            }
            return new AccountUsageInfo("active", cached.FetchedAt,
                await ProgressAsync(logs, account.Id, report.FiveHour, FiveHours, now, cancellationToken),
                await ProgressAsync(logs, account.Id, report.SevenDay, SevenDays, now, cancellationToken),
                await ProgressAsync(logs, account.Id, report.SevenDayOpus, SevenDays, now, cancellationToken),
                await ProgressAsync(logs, account.Id, report.SevenDaySonnet, SevenDays, now, cancellationToken),
                null);
        }
        if (account.Type == AccountTypes.SetupToken)
        {
            var state = health.State(account.Id);
            SessionWindow? window;
            lock (state)
            {
                window = state.Window;
            }
            var current = window is { } w && w.End > now ? w : (SessionWindow?)null;
            // The relay only learns "allowed" or "rejected" from the headers: a rejected window is a full one.
            var estimate = new ClaudeUsageWindow(current?.Status == "rejected" ? 100d : 0d, current?.End);
            return new AccountUsageInfo("passive", now,
                await ProgressAsync(logs, account.Id, estimate, FiveHours, now, cancellationToken), null, null, null, null);
        }
        return null;
    }

    /// <summary>
    /// A ChatGPT account's windows as its last answers reported them (the x-codex headers, kept in the account's
    /// <c>extra</c> by the relay): "passive", as of <c>codex_usage_updated_at</c>; no windows before any answer.
    /// </summary>
    private async Task<AccountUsageInfo?> CodexSnapshotAsync(AccountModel account, IQueryable<UsageLog> logs, DateTime now,
        CancellationToken cancellationToken)
    {
        var extra = await ExtraAsync(account.Id, cancellationToken);
        if (extra is null || Text(extra, "codex_usage_updated_at") is null)
        {
            return new AccountUsageInfo("passive", null, null, null, null, null, null);
        }
        ClaudeUsageWindow? Window(string prefix) => Number(extra, prefix + "_used_percent") is { } used
            ? new ClaudeUsageWindow(used, Time(extra, prefix + "_reset_at"))
            : null;
        return new AccountUsageInfo("passive", Time(extra, "codex_usage_updated_at"),
            await ProgressAsync(logs, account.Id, Window("codex_5h"), FiveHours, now, cancellationToken),
            await ProgressAsync(logs, account.Id, Window("codex_7d"), SevenDays, now, cancellationToken), null, null, null);
    }

    private async Task<JsonObject?> ExtraAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var extra = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Extra).FirstOrDefaultAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(extra) ? null : JsonNode.Parse(extra) as JsonObject;
    }

    private static double? Number(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DateTime? Time(JsonObject o, string name) =>
        Text(o, name) is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    private CachedReport Read(AccountModel account, DateTime now)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(account.Id, out var cached) && now - cached.FetchedAt < CacheLifetime)
            {
                return cached;
            }
            // Not tied to this admin's request: others may wait on the same read.
            var fresh = new CachedReport(now, FetchAsync(account));
            _cache[account.Id] = fresh;
            return fresh;
        }
    }

    private async Task<(ClaudeUsageReport? Report, string? Error)> FetchAsync(AccountModel account)
    {
        if (await AccessTokenAsync(account) is not { } token)
        {
            return (null, "account has no access token");
        }
        try
        {
            return (await client.FetchAsync(account, token, CancellationToken.None), null);
        }
        catch (ClaudeUsageException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The one place this service reads an account's access token: the relay's own source for it (the credential
    /// store), refreshed first when it is about to end.
    /// </summary>
    private async Task<string?> AccessTokenAsync(AccountModel account) =>
        (await tokens.ForRequestAsync(account, CancellationToken.None)).Credentials.AccessToken;

    private static async Task<UsageProgress?> ProgressAsync(IQueryable<UsageLog> logs, long accountId, ClaudeUsageWindow? window,
        TimeSpan length, DateTime now, CancellationToken ct)
    {
        if (window is null)
        {
            return null;
        }
        var remaining = window.ResetsAt is { } reset ? Math.Max(0L, (long)(reset - now).TotalSeconds) : 0L;
        var start = window.ResetsAt is { } end && end > now ? end - length : now - length;
        var stats = await AccountStatsQueries.WindowAsync(logs, accountId, start, ct);
        return new UsageProgress(window.Utilization, window.ResetsAt, remaining, stats);
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Accounts;

/// <summary>One day of an account's usage. <c>cost</c> is the standard price, <c>actual_cost</c> the account's cost
/// (standard × the account's rate multiplier), <c>user_cost</c> what users were charged (the original's three costs).</summary>
internal sealed record AccountUsageDay(string Date, string Label, long Requests, long Tokens, decimal Cost, decimal ActualCost, decimal UserCost);

internal sealed record AccountModelStat(string Model, long Requests, long InputTokens, long OutputTokens, long CacheCreationTokens,
    long CacheReadTokens, long TotalTokens, decimal Cost, decimal ActualCost);

internal sealed record AccountDaySummary(string Date, string Label, long Requests, long Tokens, decimal Cost, decimal UserCost);

internal sealed record AccountTodaySummary(string Date, decimal Cost, decimal UserCost, long Requests, long Tokens);

internal sealed record AccountUsageSummary(
    int Days, int ActualDaysUsed, decimal TotalCost, decimal TotalUserCost, decimal TotalStandardCost, long TotalRequests, long TotalTokens,
    long TotalInputTokens, long TotalOutputTokens, long TotalCacheCreationTokens, long TotalCacheReadTokens,
    decimal AvgDailyCost, decimal AvgDailyUserCost, double AvgDailyRequests, double AvgDailyTokens, double AvgDurationMs,
    AccountTodaySummary? Today, AccountDaySummary? HighestCostDay, AccountDaySummary? HighestRequestDay);

/// <summary><c>GET /admin/accounts/:id/stats</c>: a daily series, a summary and a per-model breakdown (the original's shape).</summary>
internal sealed record AccountUsageStats(IReadOnlyList<AccountUsageDay> History, AccountUsageSummary Summary, IReadOnlyList<AccountModelStat> Models);

/// <summary><c>GET /admin/accounts/:id/today-stats</c> and the usage windows' <c>window_stats</c>.</summary>
internal sealed record AccountWindowStats(long Requests, long Tokens, long InputTokens, long OutputTokens, long CacheCreationTokens,
    long CacheReadTokens, decimal Cost, decimal StandardCost, decimal UserCost, decimal ActualCost)
{
    public static readonly AccountWindowStats Empty = new(0, 0, 0, 0, 0, 0, 0m, 0m, 0m, 0m);
}

/// <summary>
/// Per-account usage aggregates, computed in the database (grouped sums; decimals stay exact on both providers,
/// see <c>UsageQueries.StatsAsync</c>). Days are UTC days.
/// </summary>
internal static class AccountStatsQueries
{
    public static async Task<AccountWindowStats> WindowAsync(IQueryable<UsageLog> logs, long accountId, DateTime from, CancellationToken ct)
    {
        var row = await logs.Where(u => u.AccountId == accountId && u.CreatedAt >= from)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Requests = g.LongCount(),
                Input = g.Sum(u => u.InputTokens),
                Output = g.Sum(u => u.OutputTokens),
                CacheCreation = g.Sum(u => u.CacheCreationTokens),
                CacheRead = g.Sum(u => u.CacheReadTokens),
                Standard = g.Sum(u => u.TotalCost),
                Account = g.Sum(u => u.TotalCost * u.AccountRateMultiplier),
                User = g.Sum(u => u.ActualCost),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return AccountWindowStats.Empty;
        }
        var tokens = row.Input + row.Output + row.CacheCreation + row.CacheRead;
        // "cost" is the account's cost as the original shows it; "actual_cost" is what users were charged.
        return new AccountWindowStats(row.Requests, tokens, row.Input, row.Output, row.CacheCreation, row.CacheRead,
            row.Account, row.Standard, row.User, row.User);
    }

    public static async Task<AccountUsageStats> StatsAsync(IQueryable<UsageLog> logs, long accountId, int days, DateTime now, CancellationToken ct)
    {
        var today = now.Date;
        var from = today.AddDays(-(days - 1));
        var rows = logs.Where(u => u.AccountId == accountId && u.CreatedAt >= from);
        var daily = await rows
            .GroupBy(u => u.CreatedAt.Date)
            .Select(g => new
            {
                Day = g.Key,
                Requests = g.LongCount(),
                Input = g.Sum(u => u.InputTokens),
                Output = g.Sum(u => u.OutputTokens),
                CacheCreation = g.Sum(u => u.CacheCreationTokens),
                CacheRead = g.Sum(u => u.CacheReadTokens),
                Standard = g.Sum(u => u.TotalCost),
                Account = g.Sum(u => u.TotalCost * u.AccountRateMultiplier),
                User = g.Sum(u => u.ActualCost),
                Duration = g.Sum(u => (long?)u.DurationMs),
                Timed = g.LongCount(u => u.DurationMs != null),
            })
            .ToListAsync(ct);
        var byDay = daily.ToDictionary(d => DateTime.SpecifyKind(d.Day, DateTimeKind.Utc).Date);

        var history = new List<AccountUsageDay>(days);
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            var d = byDay.GetValueOrDefault(day);
            history.Add(new AccountUsageDay(Date(day), Label(day), d?.Requests ?? 0,
                d is null ? 0 : d.Input + d.Output + d.CacheCreation + d.CacheRead,
                d?.Standard ?? 0m, d?.Account ?? 0m, d?.User ?? 0m));
        }

        var models = await rows
            .GroupBy(u => u.Model)
            .Select(g => new
            {
                Model = g.Key,
                Requests = g.LongCount(),
                Input = g.Sum(u => u.InputTokens),
                Output = g.Sum(u => u.OutputTokens),
                CacheCreation = g.Sum(u => u.CacheCreationTokens),
                CacheRead = g.Sum(u => u.CacheReadTokens),
                Account = g.Sum(u => u.TotalCost * u.AccountRateMultiplier),
                User = g.Sum(u => u.ActualCost),
            })
            .ToListAsync(ct);

        var used = history.Where(h => h.Requests > 0).ToList();
        var totalRequests = daily.Sum(d => d.Requests);
        var totalTokens = history.Sum(h => h.Tokens);
        var totalAccount = daily.Sum(d => d.Account);
        var totalUser = daily.Sum(d => d.User);
        var timed = daily.Sum(d => d.Timed);
        var todayRow = history[^1];
        var highestCost = used.OrderByDescending(h => h.ActualCost).ThenByDescending(h => h.Date, StringComparer.Ordinal).FirstOrDefault();
        var highestRequests = used.OrderByDescending(h => h.Requests).ThenByDescending(h => h.Date, StringComparer.Ordinal).FirstOrDefault();
        var summary = new AccountUsageSummary(
            days, used.Count, totalAccount, totalUser, daily.Sum(d => d.Standard), totalRequests, totalTokens,
            daily.Sum(d => d.Input), daily.Sum(d => d.Output), daily.Sum(d => d.CacheCreation), daily.Sum(d => d.CacheRead),
            Math.Round(totalAccount / days, 12), Math.Round(totalUser / days, 12),
            Math.Round((double)totalRequests / days, 2), Math.Round((double)totalTokens / days, 2),
            timed == 0 ? 0d : Math.Round((double)daily.Sum(d => d.Duration ?? 0) / timed, 2),
            new AccountTodaySummary(todayRow.Date, todayRow.ActualCost, todayRow.UserCost, todayRow.Requests, todayRow.Tokens),
            highestCost is null ? null : new AccountDaySummary(highestCost.Date, highestCost.Label, highestCost.Requests, highestCost.Tokens,
                highestCost.ActualCost, highestCost.UserCost),
            highestRequests is null ? null : new AccountDaySummary(highestRequests.Date, highestRequests.Label, highestRequests.Requests,
                highestRequests.Tokens, highestRequests.ActualCost, highestRequests.UserCost));

        return new AccountUsageStats(history, summary, models
            .Select(m => new AccountModelStat(m.Model, m.Requests, m.Input, m.Output, m.CacheCreation, m.CacheRead,
                m.Input + m.Output + m.CacheCreation + m.CacheRead, m.Account, m.User))
            .OrderByDescending(m => m.Requests).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList());
    }

    private static string Date(DateTime day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Label(DateTime day) => day.ToString("MM/dd", System.Globalization.CultureInfo.InvariantCulture);
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Subscriptions;

namespace Sub2Api.Billing;

/// <summary>
/// Drains the usage queue into the database in batches (one transaction per batch). Per record: insert the
/// usage row unless (request_id, api_key_id) already exists — a request is never billed twice, which also makes
/// journal replay safe — then charge the balance (or the subscription) with one atomic UPDATE, grow the key's
/// quota_used, and move the account's last_used_at. A failing batch is retried; records are never dropped.
/// </summary>
internal sealed partial class UsageWriterService(UsageRecorder recorder, UsageJournal journal, BalanceView balances,
    SubscriptionUsageView subscriptions, SubscriptionClock clock, IDbContextFactory<Sub2ApiDbContext> dbFactory, ConfigGeneration generation,
    ILogger<UsageWriterService> logger)
    : BackgroundService
{
    private const int BatchSize = 1000;

    /// <summary>
    /// How long the writer lets records gather before a batch. Records are already journaled, so waiting costs
    /// no safety, and one transaction for many requests costs far less CPU than one each.
    /// </summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(50);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var pending = journal.ReadPending();
        if (pending.Count > 0)
        {
            Log.Replaying(logger, pending.Count);
            await recorder.ReplayAsync(pending);
        }
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // No new records after this point (they stay in the journal for the next start); drain the rest.
        recorder.Complete();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>
    /// The loop runs on its own thread: SQLite's "async" calls complete synchronously, and a batch blocking a
    /// thread-pool worker for milliseconds stalls request processing on a small machine (seen as p99 spikes).
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var reader = recorder.Reader;
        var batch = new List<UsageRecord>(BatchSize);
        // Deliberately not stoppingToken: shutdown completes the channel and we drain what is left.
        while (reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            // Linger only while a batch is still filling up. A full batch is written at once: sleeping on a full
            // queue capped throughput at BatchSize per (linger + write) and made requests wait for queue room.
            if (!stoppingToken.IsCancellationRequested && reader.Count < BatchSize)
            {
                Thread.Sleep(Linger);
            }
            // Marked before the records leave the queue, so the writer's lag never reads zero while a batch is in hand.
            if (reader.TryPeek(out var head))
            {
                recorder.Writing(head.CreatedAt);
            }
            while (batch.Count < BatchSize && reader.TryRead(out var record))
            {
                batch.Add(record);
            }
            WriteWithRetryAsync(batch).GetAwaiter().GetResult();
            recorder.Writing(null);
            batch.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<UsageRecord> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var charged = await WriteBatchAsync(batch);
                foreach (var record in batch.Where(r => r.Charge))
                {
                    if (record.ChargesSubscription(out var subscriptionId))
                    {
                        subscriptions.Settle(subscriptionId, record.UserId, record.Cost.ActualCost, charged.Contains(record), record.CreatedAt);
                    }
                    else
                    {
                        balances.Settle(record.UserId, record.Cost.ActualCost, charged.Contains(record));
                    }
                }
                journal.MarkCommitted(batch);
                balances.RaiseCommitted(charged.Select(r => r.UserId).ToHashSet());
                return;
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                Log.BatchFailed(logger, batch.Count, attempt, e.GetType().Name, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 5000)));
            }
        }
    }

    /// <summary>
    /// One transaction per batch, with the writes aggregated: one INSERT batch for the rows, then one atomic
    /// <c>UPDATE … SET x = x ± Σ</c> per user, subscription, key and account touched — never a read-modify-write.
    /// Returns the records that were charged (new, chargeable rows).
    /// </summary>
    private async Task<HashSet<UsageRecord>> WriteBatchAsync(List<UsageRecord> batch)
    {
        var charged = new HashSet<UsageRecord>(ReferenceEqualityComparer.Instance);
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();

        // Rows already written are skipped and never billed twice. Only records replayed from the journal can be
        // in the database already (new request ids are random), so only they are looked up; the unique index
        // (request_id, api_key_id) guards everything else.
        var seen = new HashSet<(string, long)>();
        foreach (var chunk in batch.Where(r => r.Replayed).Select(r => r.RequestId).Distinct().Chunk(100))
        {
            var ids = chunk.ToList();
            foreach (var row in await db.UsageLogs.AsNoTracking().Where(u => EF.Constant(ids).Contains(u.RequestId))
                         .Select(u => new { u.RequestId, u.ApiKeyId }).ToListAsync())
            {
                seen.Add((row.RequestId, row.ApiKeyId));
            }
        }
        var fresh = batch.Where(r => seen.Add((r.RequestId, r.ApiKeyId))).ToList();
        if (fresh.Count == 0)
        {
            await transaction.CommitAsync();
            return charged;
        }
        await UsageLogInserter.InsertAsync(db, fresh.Select(ToRow).ToList(), CancellationToken.None);

        var billable = fresh.Where(r => r.Charge && r.Cost.ActualCost != 0).ToList();
        foreach (var user in billable.Where(r => !r.ChargesSubscription(out _)).GroupBy(r => r.UserId))
        {
            var total = user.Sum(r => r.Cost.ActualCost);
            await db.Users.IgnoreQueryFilters().Where(u => u.Id == user.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Balance, u => u.Balance - total));
        }
        foreach (var subscription in billable.Where(r => r.ChargesSubscription(out _)).GroupBy(r => r.SubscriptionId!.Value))
        {
            await ChargeSubscriptionAsync(db, subscription.Key, subscription.Sum(r => r.Cost.ActualCost), subscription.Max(r => r.CreatedAt));
        }
        var quotaExhausted = false;
        foreach (var key in billable.Where(r => r.KeyHasQuota).GroupBy(r => r.ApiKeyId))
        {
            var total = key.Sum(r => r.Cost.ActualCost);
            var keys = db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Key);
            await keys.ExecuteUpdateAsync(s => s.SetProperty(k => k.QuotaUsed, k => k.QuotaUsed + total));
            quotaExhausted |= await keys.Where(k => k.Quota > 0 && k.QuotaUsed >= k.Quota && k.Status == Statuses.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Status, Statuses.QuotaExhausted)) > 0;
        }
        foreach (var account in fresh.GroupBy(r => r.AccountId))
        {
            var at = account.Max(r => r.CreatedAt);
            await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == account.Key && (a.LastUsedAt == null || a.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastUsedAt, at));
        }
        await transaction.CommitAsync();

        charged.UnionWith(fresh.Where(r => r.Charge));
        if (quotaExhausted)
        {
            generation.Bump(ConfigScope.Callers); // the key's cached status must change everywhere at once
        }
        return charged;
    }

    /// <summary>
    /// Adds a charge to each of the subscription's windows in one UPDATE, by the rule of
    /// <see cref="SubscriptionWindows.Charge"/>: a window that has not started, or whose span has passed at the time
    /// of the charge, starts over at that day's midnight holding just this charge. Every SET reads the row's old
    /// values, so each CASE tests the window as it was.
    /// </summary>
    private async Task ChargeSubscriptionAsync(Sub2ApiDbContext db, long subscriptionId, decimal total, DateTime at)
    {
        var startOfDay = clock.StartOfDay(at);
        var dayCutoff = at - SubscriptionWindows.Daily;
        var weekCutoff = at - SubscriptionWindows.Weekly;
        var monthCutoff = at - SubscriptionWindows.Monthly;
        await db.UserSubscriptions.IgnoreQueryFilters().Where(x => x.Id == subscriptionId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.DailyUsageUsd, x => x.DailyWindowStart == null || x.DailyWindowStart <= dayCutoff ? total : x.DailyUsageUsd + total)
            .SetProperty(x => x.DailyWindowStart, x => x.DailyWindowStart == null || x.DailyWindowStart <= dayCutoff ? startOfDay : x.DailyWindowStart)
            .SetProperty(x => x.WeeklyUsageUsd, x => x.WeeklyWindowStart == null || x.WeeklyWindowStart <= weekCutoff ? total : x.WeeklyUsageUsd + total)
            .SetProperty(x => x.WeeklyWindowStart, x => x.WeeklyWindowStart == null || x.WeeklyWindowStart <= weekCutoff ? startOfDay : x.WeeklyWindowStart)
            .SetProperty(x => x.MonthlyUsageUsd, x => x.MonthlyWindowStart == null || x.MonthlyWindowStart <= monthCutoff ? total : x.MonthlyUsageUsd + total)
            .SetProperty(x => x.MonthlyWindowStart, x => x.MonthlyWindowStart == null || x.MonthlyWindowStart <= monthCutoff ? startOfDay : x.MonthlyWindowStart));
    }

    private static UsageLog ToRow(UsageRecord r) => new()
    {
        RequestId = r.RequestId,
        UserId = r.UserId,
        ApiKeyId = r.ApiKeyId,
        AccountId = r.AccountId,
        GroupId = r.GroupId,
        SubscriptionId = r.SubscriptionId,
        Model = r.Model,
        InputTokens = r.Tokens.InputTokens,
        OutputTokens = r.Tokens.OutputTokens,
        CacheCreationTokens = r.Tokens.CacheCreationTokens,
        CacheReadTokens = r.Tokens.CacheReadTokens,
        CacheCreation5mTokens = r.Tokens.CacheCreation5mTokens,
        CacheCreation1hTokens = r.Tokens.CacheCreation1hTokens,
        InputCost = r.Cost.InputCost,
        OutputCost = r.Cost.OutputCost,
        CacheCreationCost = r.Cost.CacheCreationCost,
        CacheReadCost = r.Cost.CacheReadCost,
        TotalCost = r.Cost.TotalCost,
        ActualCost = r.Cost.ActualCost,
        RateMultiplier = r.RateMultiplier,
        AccountRateMultiplier = r.AccountRateMultiplier,
        BillingType = r.BillingType,
        Stream = r.Stream,
        DurationMs = r.DurationMs,
        FirstTokenMs = r.FirstTokenMs,
        UserAgent = r.UserAgent is { Length: > 512 } ua ? ua[..512] : r.UserAgent,
        IpAddress = r.IpAddress,
        CreatedAt = r.CreatedAt,
    };

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "Replaying {Count} usage records from the journal")]
        public static partial void Replaying(ILogger logger, int count);

        [LoggerMessage(401, LogLevel.Error, "Writing {Count} usage records failed (attempt {Attempt}): {Error} {Message}; retrying")]
        public static partial void BatchFailed(ILogger logger, int count, int attempt, string error, string message);
    }
}

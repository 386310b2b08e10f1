using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Scheduling;

/// <summary>Mutable runtime health of one account. Guarded by its own lock.</summary>
internal sealed class AccountState
{
    public DateTime? RateLimitResetAt;
    public DateTime? OverloadUntil;
    public DateTime? TempUnschedulableUntil;
    public DateTime? LastUsedAt;
    public SessionWindow? Window;
    public DateTime? UsageSnapshotSavedAt;
    public bool Errored;

    public bool IsCoolingDown(DateTime utcNow) =>
        RateLimitResetAt > utcNow || OverloadUntil > utcNow || TempUnschedulableUntil > utcNow;
}

/// <summary>
/// Passive health (SPEC §4.5–§4.6): what upstream answers say about an account. Cooldowns are timestamps
/// compared with the clock at pick time, so a benched account returns to service by itself the moment its
/// cooldown ends — no flag has to be flipped back (the original lost accounts that way, e.g. CRS #399).
/// Every mark is persisted before the relay moves on, so a restart or another reader sees it too.
/// </summary>
internal sealed partial class AccountHealth(IDbContextFactory<Sub2ApiDbContext> dbFactory, TimeProvider time,
    IOptionsMonitor<RateLimitOptions> options, ConfigGeneration generation, IEnumerable<IAccountHealthRules> rules,
    ILogger<AccountHealth> logger)
{
    /// <summary>Without a provider's rules a 429 rests the account this long.</summary>
    private static readonly TimeSpan DefaultRateLimitRest = TimeSpan.FromMinutes(5);

    /// <summary>How often an account's usage snapshot (shown on the accounts page) is saved, at most.</summary>
    public static readonly TimeSpan UsageSnapshotInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, AccountState> _states = new();
    private readonly FrozenDictionary<string, IAccountHealthRules> _rules = rules.ToFrozenDictionary(r => r.Platform);

    public AccountState State(long accountId) => _states.GetOrAdd(accountId, _ => new AccountState());

    /// <summary>
    /// Takes the persisted values when a snapshot is (re)built. The database is the truth: every mark is written
    /// before the generation moves, so this is how a mark (or an admin's clear) made on another node arrives here.
    /// </summary>
    public void Seed(Account row)
    {
        var state = State(row.Id);
        lock (state)
        {
            state.Errored = row.Status == Statuses.Error;
            state.RateLimitResetAt = row.RateLimitResetAt;
            state.OverloadUntil = row.OverloadUntil;
            state.TempUnschedulableUntil = row.TempUnschedulableUntil;
            state.LastUsedAt = Max(state.LastUsedAt, row.LastUsedAt);
            if (row.SessionWindowEnd is { } end && row.SessionWindowStart is { } start)
            {
                state.Window = new SessionWindow(start, end, row.SessionWindowStatus ?? "");
            }
        }
    }

    /// <summary>Schedulable now: enabled by the admin, not errored, not cooling down.</summary>
    public bool IsAvailable(AccountModel account, DateTime utcNow)
    {
        if (!account.IsEnabled(utcNow))
        {
            return false;
        }
        var state = State(account.Id);
        lock (state)
        {
            return !state.Errored && !state.IsCoolingDown(utcNow);
        }
    }

    public DateTime? LastUsed(long accountId)
    {
        var state = State(accountId);
        lock (state)
        {
            return state.LastUsedAt;
        }
    }

    public void MarkUsed(long accountId, DateTime utcNow)
    {
        var state = State(accountId);
        lock (state)
        {
            state.LastUsedAt = utcNow;
        }
    }

    /// <summary>
    /// Applies an upstream error to the account (its provider's rules read a 429). True when the account was taken out
    /// of service (status error), so the request should try another account.
    /// </summary>
    /// <param name="errorBody">The upstream error body (at most 64 KB), for the account's temp-unschedulable rules.</param>
    public async Task<bool> ReportErrorAsync(AccountModel account, int status, Func<string, string?> header,
        string upstreamMessage, CancellationToken cancellationToken, ReadOnlyMemory<byte> errorBody = default)
    {
        if (account.CustomErrorCodesEnabled && !account.CustomErrorCodes.Contains(status))
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        // An admin rule wins over the status rules below: the account rests for the rule's minutes and this
        // request moves on to another account.
        if (TempUnschedulableRules.Match(account.TempUnschedulableRules, status, errorBody.Span) is { } match)
        {
            var benchedUntil = now.AddMinutes(match.Rule.DurationMinutes);
            var reason = TempUnschedulableRules.Reason(match, status, now, benchedUntil, errorBody.Span);
            Log.TempUnschedulable(logger, account.Id, status, match.RuleIndex, match.Rule.DurationMinutes);
            await SetCooldownAsync(account.Id, s => s.TempUnschedulableUntil = benchedUntil,
                a => a.SetProperty(x => x.TempUnschedulableUntil, benchedUntil).SetProperty(x => x.TempUnschedulableReason, reason),
                cancellationToken);
            return true;
        }
        var message = upstreamMessage.Length > 500 ? upstreamMessage[..500] : upstreamMessage;
        switch (status)
        {
            case 400 when message.Contains("organization has been disabled", StringComparison.OrdinalIgnoreCase):
            case 401 or 402 or 403:
                var prefix = status == 401 ? "Authentication failed (401)" : $"Upstream error {status}";
                await MarkErrorAsync(account.Id, $"{prefix}: {message}", cancellationToken);
                return true;
            case 429:
                var (resetAt, window) = _rules.TryGetValue(account.Platform, out var platformRules)
                    ? platformRules.RateLimitedUntil(header, errorBody.Span, now)
                    : (now + DefaultRateLimitRest, null);
                await SetCooldownAsync(account.Id, s => { s.RateLimitResetAt = resetAt; s.Window = window ?? s.Window; },
                    a =>
                    {
                        a.SetProperty(x => x.RateLimitedAt, now).SetProperty(x => x.RateLimitResetAt, resetAt);
                        if (window is { } w)
                        {
                            a.SetProperty(x => x.SessionWindowStart, w.Start).SetProperty(x => x.SessionWindowEnd, w.End)
                                .SetProperty(x => x.SessionWindowStatus, w.Status);
                        }
                    },
                    cancellationToken);
                return false;
            case 529:
                var until = now.AddMinutes(options.CurrentValue.OverloadCooldownMinutes);
                await SetCooldownAsync(account.Id, s => s.OverloadUntil = until,
                    a => a.SetProperty(x => x.OverloadUntil, until), cancellationToken);
                return false;
            default:
                if (account.CustomErrorCodesEnabled)
                {
                    await MarkErrorAsync(account.Id, $"Custom error code {status}: {message}", cancellationToken);
                    return true;
                }
                return false;
        }
    }

    /// <summary>
    /// A success: update the usage window, clear a rate limit the upstream says is over, and rest the account when the
    /// upstream says its next request would be refused.
    /// </summary>
    public void ReportSuccess(AccountModel account, Func<string, string?> header)
    {
        if (!_rules.TryGetValue(account.Platform, out var platformRules))
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var state = State(account.Id);
        SessionWindow? changed = null;
        var recovered = false;
        DateTime? rest = null;
        IReadOnlyDictionary<string, object>? snapshot = null;
        lock (state)
        {
            var verdict = platformRules.OnSuccess(header, now, state.Window);
            if (verdict.UsageSnapshot is { } usage && !(now - state.UsageSnapshotSavedAt < UsageSnapshotInterval))
            {
                state.UsageSnapshotSavedAt = now;
                snapshot = usage;
            }
            if (verdict.Window is { } updated && updated != state.Window)
            {
                state.Window = changed = updated;
            }
            if (verdict.RestUntil is { } until && until > now && !(state.RateLimitResetAt >= until))
            {
                state.RateLimitResetAt = rest = until;
            }
            else if (state.RateLimitResetAt > now && verdict.LimitOver)
            {
                state.RateLimitResetAt = null;
                recovered = true;
            }
        }
        if (changed is not null || recovered || rest is not null)
        {
            // Rare (once per window, recovery or exhaustion), and not worth delaying the response for.
            _ = PersistWindowAsync(account.Id, changed, recovered, rest, now);
        }
        if (snapshot is not null)
        {
            _ = PersistUsageSnapshotAsync(account.Id, snapshot);
        }
    }

    /// <summary>
    /// Merges the usage snapshot into the account's <c>extra</c>. Informational only (the accounts page shows it), so
    /// the generation does not move: no node rebuilds its pool for it.
    /// </summary>
    private async Task PersistUsageSnapshotAsync(long accountId, IReadOnlyDictionary<string, object> snapshot)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var row = await db.Accounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == accountId);
            if (row is null)
            {
                return;
            }
            var extra = string.IsNullOrWhiteSpace(row.Extra) ? [] : JsonNode.Parse(row.Extra) as JsonObject ?? [];
            foreach (var (key, value) in snapshot)
            {
                extra[key] = value switch
                {
                    double d => JsonValue.Create(d),
                    int i => JsonValue.Create(i),
                    long l => JsonValue.Create(l),
                    _ => JsonValue.Create(value.ToString()),
                };
            }
            row.Extra = extra.ToJsonString();
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException
            or System.Text.Json.JsonException)
        {
            Log.PersistFailed(logger, accountId, e.GetType().Name);
        }
    }

    public async Task ClearErrorAsync(long accountId, CancellationToken cancellationToken)
    {
        var state = State(accountId);
        lock (state)
        {
            state.Errored = false;
        }
        await UpdateRowAsync(accountId, a => a.SetProperty(x => x.Status, Statuses.Active).SetProperty(x => x.ErrorMessage, ""),
            cancellationToken);
    }

    public async Task ClearRateLimitAsync(long accountId, CancellationToken cancellationToken)
    {
        var state = State(accountId);
        lock (state)
        {
            state.RateLimitResetAt = null;
            state.OverloadUntil = null;
            state.TempUnschedulableUntil = null;
        }
        await UpdateRowAsync(accountId, a => a.SetProperty(x => x.RateLimitedAt, (DateTime?)null)
            .SetProperty(x => x.RateLimitResetAt, (DateTime?)null).SetProperty(x => x.OverloadUntil, (DateTime?)null)
            .SetProperty(x => x.TempUnschedulableUntil, (DateTime?)null).SetProperty(x => x.TempUnschedulableReason, (string?)null),
            cancellationToken);
    }

    /// <summary>Ends a temp-unschedulable rest now, here and (through the generation) on every node.</summary>
    public async Task ClearTempUnschedulableAsync(long accountId, CancellationToken cancellationToken)
    {
        var state = State(accountId);
        lock (state)
        {
            state.TempUnschedulableUntil = null;
        }
        await UpdateRowAsync(accountId, a => a.SetProperty(x => x.TempUnschedulableUntil, (DateTime?)null)
            .SetProperty(x => x.TempUnschedulableReason, (string?)null), cancellationToken);
    }

    /// <summary>Takes the account out of service (status error) with this message, here and on every node.</summary>
    public async Task MarkErrorAsync(long accountId, string message, CancellationToken cancellationToken)
    {
        var state = State(accountId);
        lock (state)
        {
            state.Errored = true;
        }
        Log.Marked(logger, accountId, "error");
        await UpdateRowAsync(accountId, a => a.SetProperty(x => x.Status, Statuses.Error).SetProperty(x => x.ErrorMessage, message),
            cancellationToken);
    }

    private async Task SetCooldownAsync(long accountId, Action<AccountState> apply,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Account>> persist, CancellationToken cancellationToken)
    {
        var state = State(accountId);
        lock (state)
        {
            apply(state);
        }
        await UpdateRowAsync(accountId, persist, cancellationToken);
    }

    /// <summary>
    /// Rests the account until <paramref name="until"/> (temporarily unschedulable, persisted with its JSON reason),
    /// e.g. after a token refresh kept failing. Touches only the health columns.
    /// </summary>
    public Task MarkTempUnschedulableAsync(long accountId, DateTime until, string reason, CancellationToken cancellationToken)
    {
        Log.Marked(logger, accountId, "temporarily unschedulable");
        return SetCooldownAsync(accountId, s => s.TempUnschedulableUntil = until,
            a => a.SetProperty(x => x.TempUnschedulableUntil, until).SetProperty(x => x.TempUnschedulableReason, reason), cancellationToken);
    }

    private async Task PersistWindowAsync(long accountId, SessionWindow? window, bool recovered, DateTime? rest, DateTime utcNow)
    {
        try
        {
            await UpdateRowAsync(accountId, a =>
            {
                if (window is { } w)
                {
                    a.SetProperty(x => x.SessionWindowStart, w.Start).SetProperty(x => x.SessionWindowEnd, w.End)
                        .SetProperty(x => x.SessionWindowStatus, w.Status);
                }
                if (recovered)
                {
                    a.SetProperty(x => x.RateLimitResetAt, (DateTime?)null);
                }
                if (rest is { } until)
                {
                    a.SetProperty(x => x.RateLimitedAt, utcNow).SetProperty(x => x.RateLimitResetAt, until);
                }
            }, CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            Log.PersistFailed(logger, accountId, e.GetType().Name);
        }
    }

    /// <summary>
    /// Writes health columns, then moves the generation: snapshots everywhere (other nodes via the cluster bus)
    /// re-read the account, so a mark made here is honoured at once by every node. Marks are rare (failures),
    /// so the rebuild they cost does not matter.
    /// </summary>
    private async Task UpdateRowAsync(long accountId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Account>> setters,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId).ExecuteUpdateAsync(setters, cancellationToken);
        generation.Bump(ConfigScope.Accounts);
    }

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(310, LogLevel.Warning, "Account {AccountId} marked {What}")]
        public static partial void Marked(ILogger logger, long accountId, string what);

        [LoggerMessage(312, LogLevel.Warning, "Account {AccountId} temporarily unschedulable after upstream {Status} (rule {RuleIndex}, {Minutes} min)")]
        public static partial void TempUnschedulable(ILogger logger, long accountId, int status, int ruleIndex, int minutes);

        [LoggerMessage(311, LogLevel.Warning, "Could not persist health of account {AccountId}: {Error}")]
        public static partial void PersistFailed(ILogger logger, long accountId, string error);
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;

namespace Sub2Api.Ops.Dashboard;

/// <summary>The states an account is shown in, worst first in the order they are checked.</summary>
internal static class OpsAccountState
{
    public const string Available = "available";
    public const string RateLimited = "rate_limited";
    public const string Overloaded = "overloaded";
    public const string TempUnschedulable = "temp_unschedulable";
    public const string Error = "error";
    public const string Disabled = "disabled";
    public const string Expired = "expired";
}

/// <summary>
/// Whether each account can serve right now, as the scheduler sees it: its snapshot (status, admin switch,
/// expiry) and its runtime health (cooldowns, error mark) — the same facts a pick reads — plus, from the database,
/// the reasons and accounts the snapshot could not load, and the newest failed upstream attempt of each account.
/// </summary>
internal sealed class OpsAccountStates(AccountPool pool, AccountHealth health, TimeProvider time)
{
    public async Task<OpsAccountAvailabilityDto> AvailabilityAsync(Sub2ApiDbContext db, OpsDashboardWindow filter, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var snapshot = await pool.GetAsync(ct);
        // Each account's newest failed upstream attempt comes with its row: two index lookups (account, time) per
        // account instead of a scan of the error log.
        var upstream = db.OpsErrorLogs.AsNoTracking().Where(e => e.Kind == OpsErrorKinds.Upstream);
        var rows = await Filtered(db.Accounts.AsNoTracking(), filter)
            .OrderBy(a => a.Id)
            .Select(a => new AccountRow(a.Id, a.Name, a.Platform, a.Status, a.Schedulable, a.ErrorMessage, a.ExpiresAt, a.AutoPauseOnExpired,
                a.RateLimitResetAt, a.OverloadUntil, a.TempUnschedulableUntil, a.TempUnschedulableReason,
                upstream.Where(e => e.AccountId == a.Id).Max(e => (DateTime?)e.CreatedAt),
                upstream.Where(e => e.AccountId == a.Id).OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
                    .Select(e => e.Message).FirstOrDefault()))
            .ToListAsync(ct);

        var accounts = rows.Select(row =>
        {
            var (state, until) = snapshot.ById.TryGetValue(row.Id, out var model) ? Live(model, now) : Persisted(row, now);
            var reason = state switch
            {
                OpsAccountState.Error => NullIfEmpty(row.ErrorMessage),
                OpsAccountState.TempUnschedulable => row.TempUnschedulableReason,
                _ => null,
            };
            return new OpsAccountAvailability(row.Id, row.Name, row.Platform, model?.Status ?? row.Status, model?.Schedulable ?? row.Schedulable,
                state, until, reason, row.LastErrorAt is { } at ? Utc(at) : null, row.LastErrorMessage ?? NullIfEmpty(row.ErrorMessage));
        }).ToList();

        var summary = new OpsAvailabilitySummary(
            Count(accounts, OpsAccountState.Available),
            Count(accounts, OpsAccountState.RateLimited),
            Count(accounts, OpsAccountState.Overloaded),
            Count(accounts, OpsAccountState.TempUnschedulable),
            Count(accounts, OpsAccountState.Error),
            // Expired accounts are paused like disabled ones: the summary counts them there.
            Count(accounts, OpsAccountState.Disabled) + Count(accounts, OpsAccountState.Expired));
        return new OpsAccountAvailabilityDto(accounts, summary);
    }

    /// <summary>Accounts (not deleted) in the filter's platform, group and id.</summary>
    public static IQueryable<Account> Filtered(IQueryable<Account> accounts, OpsDashboardWindow filter)
    {
        if (filter.Platform is { } platform)
        {
            accounts = accounts.Where(a => a.Platform == platform);
        }
        if (filter.GroupId is { } groupId)
        {
            accounts = accounts.Where(a => a.Groups.Any(g => g.GroupId == groupId));
        }
        if (filter.AccountId is { } accountId)
        {
            accounts = accounts.Where(a => a.Id == accountId);
        }
        return accounts;
    }

    /// <summary>The state from the scheduler's own view: snapshot switches first, then the runtime health marks.</summary>
    private (string State, DateTime? Until) Live(AccountModel model, DateTime now)
    {
        var runtime = health.State(model.Id);
        DateTime? rateLimit, overload, tempUnschedulable;
        bool errored;
        lock (runtime)
        {
            (rateLimit, overload, tempUnschedulable, errored) =
                (runtime.RateLimitResetAt, runtime.OverloadUntil, runtime.TempUnschedulableUntil, runtime.Errored);
        }
        return Classify(model.Status, errored, model.Schedulable, model.AutoPauseOnExpired ? model.ExpiresAt : null, rateLimit, overload,
            tempUnschedulable, now);
    }

    /// <summary>An account the snapshot could not load (unreadable credentials) is classified from its row.</summary>
    private static (string State, DateTime? Until) Persisted(AccountRow row, DateTime now) =>
        Classify(row.Status, false, row.Schedulable, row.AutoPauseOnExpired ? row.ExpiresAt : null, row.RateLimitResetAt, row.OverloadUntil,
            row.TempUnschedulableUntil, now);

    private static (string State, DateTime? Until) Classify(string status, bool errored, bool schedulable, DateTime? pausesAt,
        DateTime? rateLimitedUntil, DateTime? overloadedUntil, DateTime? tempUnschedulableUntil, DateTime now)
    {
        if (status == Statuses.Error || errored)
        {
            return (OpsAccountState.Error, null);
        }
        if (status != Statuses.Active || !schedulable)
        {
            return (OpsAccountState.Disabled, null);
        }
        if (pausesAt is { } expires && expires <= now)
        {
            return (OpsAccountState.Expired, Utc(expires));
        }
        if (rateLimitedUntil is { } rateLimited && rateLimited > now)
        {
            return (OpsAccountState.RateLimited, Utc(rateLimited));
        }
        if (overloadedUntil is { } overloaded && overloaded > now)
        {
            return (OpsAccountState.Overloaded, Utc(overloaded));
        }
        if (tempUnschedulableUntil is { } benched && benched > now)
        {
            return (OpsAccountState.TempUnschedulable, Utc(benched));
        }
        return (OpsAccountState.Available, null);
    }

    private static int Count(List<OpsAccountAvailability> accounts, string state) => accounts.Count(a => a.State == state);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed record AccountRow(long Id, string Name, string Platform, string Status, bool Schedulable, string ErrorMessage,
        DateTime? ExpiresAt, bool AutoPauseOnExpired, DateTime? RateLimitResetAt, DateTime? OverloadUntil, DateTime? TempUnschedulableUntil,
        string? TempUnschedulableReason, DateTime? LastErrorAt, string? LastErrorMessage);
}

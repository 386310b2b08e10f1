using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// Live concurrency: slots held and requests waiting per account (every account of the scheduler's snapshot, one
/// slot-store call) and per recently active user.
/// </summary>
internal sealed class OpsConcurrencyQueries(AccountPool pool, IConcurrencySlots slots, TimeProvider time)
{
    /// <summary>How far back a user counts as active for the user view.</summary>
    public static readonly TimeSpan ActiveUserWindow = TimeSpan.FromHours(1);

    /// <summary>At most this many users are read (two slot-store calls each).</summary>
    public const int MaxUsers = 200;

    public async Task<OpsConcurrencyDto> AccountsAsync(OpsDashboardWindow filter, CancellationToken ct)
    {
        var snapshot = await pool.GetAsync(ct);
        var accounts = snapshot.All
            .Where(a => (filter.Platform is null || a.Platform == filter.Platform)
                && (filter.GroupId is not { } groupId || a.GroupIds.Contains(groupId))
                && (filter.AccountId is not { } accountId || a.Id == accountId))
            .ToList();
        var loads = accounts.Count == 0
            ? new Dictionary<long, AccountLoad>()
            : await slots.GetAccountLoadsAsync([.. accounts.Select(a => (a.Id, a.Concurrency))]);
        var rows = accounts.Select(a =>
            {
                var load = loads.GetValueOrDefault(a.Id);
                return new OpsAccountConcurrency(a.Id, a.Name, a.Platform, load.InUse, a.Concurrency, load.Waiting);
            })
            .OrderByDescending(a => a.InUse).ThenByDescending(a => a.Waiting).ThenBy(a => a.AccountId)
            .ToList();
        return new OpsConcurrencyDto(rows, rows.Sum(a => (long)a.InUse), rows.Sum(a => (long)a.Waiting));
    }

    /// <summary>
    /// Users who sent a request in the last hour (a success or a failure; at most <see cref="MaxUsers"/>, the most
    /// recent first): the slot store cannot list who holds slots, so the candidates come from the logs.
    /// </summary>
    public async Task<OpsUserConcurrencyDto> UsersAsync(Sub2ApiDbContext db, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime - ActiveUserWindow;
        var recent = await db.UsageLogs.AsNoTracking().Where(u => u.CreatedAt >= since)
            .GroupBy(u => u.UserId).Select(g => new { UserId = g.Key, Last = g.Max(u => u.CreatedAt) })
            .OrderByDescending(g => g.Last).Take(MaxUsers).ToListAsync(ct);
        var failed = await db.OpsErrorLogs.AsNoTracking().Where(e => e.CreatedAt >= since && e.UserId != null)
            .GroupBy(e => e.UserId!.Value).Select(g => new { UserId = g.Key, Last = g.Max(e => e.CreatedAt) })
            .OrderByDescending(g => g.Last).Take(MaxUsers).ToListAsync(ct);
        var ids = recent.Concat(failed).OrderByDescending(u => u.Last).Select(u => u.UserId).Distinct().Take(MaxUsers).ToList();
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.Concurrency }).ToListAsync(ct);
        var rows = new List<OpsUserConcurrency>(users.Count);
        foreach (var user in users)
        {
            var inUse = await slots.CountAsync(SlotScopes.User(user.Id));
            var waiting = await slots.QueueLengthAsync(SlotScopes.UserQueue(user.Id));
            rows.Add(new OpsUserConcurrency(user.Id, user.Email, inUse, user.Concurrency, waiting));
        }
        return new OpsUserConcurrencyDto([.. rows.OrderByDescending(u => u.InUse).ThenByDescending(u => u.Waiting).ThenBy(u => u.UserId)]);
    }
}

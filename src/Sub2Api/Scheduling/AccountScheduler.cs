using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Scheduling.StickySessions;

namespace Sub2Api.Scheduling;

/// <summary>What the relay asks for: one account for this group, platform and model, minus the ones that already failed.</summary>
internal sealed record SelectionRequest(long? GroupId, string Platform, string Model, string SessionHash,
    IReadOnlySet<long> Excluded, string RequestId, bool IgnoreGroups = false, bool AllowMixedScheduling = false)
{
    public string? StickyKey => SessionHash.Length == 0 ? null : StickyKeys.For(GroupId, SessionHash);
}

/// <summary>No free slot now: wait for this account, with these limits (SPEC §4.3 "wait plan").</summary>
internal sealed record WaitPlan(AccountModel Account, TimeSpan Timeout, int MaxWaiting);

/// <summary>The outcome: an account with its slot, or a wait plan, or nothing (with why).</summary>
internal sealed record Selection(AccountModel? Account, SlotLease? Lease, WaitPlan? Wait, string? Error)
{
    public static Selection None(string error) => new(null, null, null, error);
}

/// <summary>
/// Account selection as the original's <c>SelectAccountWithLoadAwareness</c> (SPEC §4.3): sticky binding first,
/// then load-aware (priority → load rate → least recently used, never-used first, random among equals),
/// then a fallback wait plan. Reads only the in-memory pool snapshot, health and slot counters.
/// </summary>
internal sealed class AccountScheduler(AccountPool pool, AccountHealth health, IConcurrencySlots slots,
    IStickySessionStore sticky, IOptionsMonitor<GatewayOptions> options, TimeProvider time)
{
    public async Task<Selection> SelectAsync(SelectionRequest request, CancellationToken cancellationToken)
    {
        var scheduling = options.CurrentValue.Scheduling;
        var snapshot = await pool.GetAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;

        // :: Layer 1 — the sticky binding, if it still makes sense
        if (request.StickyKey is { } stickyKey && await sticky.GetAsync(stickyKey) is { } boundId
            && !request.Excluded.Contains(boundId))
        {
            if (!snapshot.ById.TryGetValue(boundId, out var bound) || !health.IsAvailable(bound, now))
            {
                await sticky.DeleteAsync(stickyKey); // errored, disabled, deleted or cooling down: rebind below
            }
            else if (IsCandidate(bound, request))
            {
                if (await slots.TryAcquireAsync(SlotScopes.Account(bound.Id), request.RequestId, bound.Concurrency, cancellationToken))
                {
                    await sticky.RefreshAsync(stickyKey, StickyKeys.Ttl);
                    health.MarkUsed(bound.Id, now);
                    return new Selection(bound, new SlotLease(slots, SlotScopes.Account(bound.Id), request.RequestId), null, null);
                }
                if (await slots.QueueLengthAsync(SlotScopes.AccountQueue(bound.Id)) < scheduling.StickySessionMaxWaiting)
                {
                    return new Selection(bound, null,
                        new WaitPlan(bound, TimeSpan.FromSeconds(scheduling.StickySessionWaitTimeout), scheduling.StickySessionMaxWaiting), null);
                }
            }
        }

        // :: Layer 2 — load-aware choice among the schedulable candidates
        var candidates = snapshot.All
            .Where(a => !request.Excluded.Contains(a.Id) && IsCandidate(a, request) && health.IsAvailable(a, now))
            .ToList();
        if (candidates.Count == 0)
        {
            return Selection.None(request.Model.Length > 0 && snapshot.All.Any(a => IsCandidate(a, request with { Model = "" }))
                ? $"no available accounts supporting model: {request.Model}"
                : "no available accounts");
        }
        var loads = await slots.GetAccountLoadsAsync(candidates.Select(a => (a.Id, a.Concurrency)).ToList());
        var ordered = Order(candidates.Where(a => !loads.TryGetValue(a.Id, out var l) || l.LoadRate < 100),
            a => loads.TryGetValue(a.Id, out var l) ? l.LoadRate : 0);
        foreach (var account in ordered)
        {
            if (await slots.TryAcquireAsync(SlotScopes.Account(account.Id), request.RequestId, account.Concurrency, cancellationToken))
            {
                if (request.StickyKey is { } key)
                {
                    await sticky.SetAsync(key, account.Id, StickyKeys.Ttl);
                }
                health.MarkUsed(account.Id, now);
                return new Selection(account, new SlotLease(slots, SlotScopes.Account(account.Id), request.RequestId), null, null);
            }
        }

        // :: Layer 3 — everyone is busy: queue for the best account
        var fallback = scheduling.FallbackSelectionMode == "random"
            ? candidates.OrderBy(a => a.Priority).ThenBy(_ => Random.Shared.Next()).First()
            : Order(candidates, _ => 0).First();
        return new Selection(fallback, null,
            new WaitPlan(fallback, TimeSpan.FromSeconds(scheduling.FallbackWaitTimeout), scheduling.FallbackMaxWaiting), null);
    }

    /// <summary>Group membership, platform isolation (with mixed scheduling) and model support.</summary>
    public static bool IsCandidate(AccountModel account, SelectionRequest request)
    {
        if (!request.IgnoreGroups && request.GroupId is { } groupId && !account.GroupIds.Contains(groupId))
        {
            return false;
        }
        var platformOk = account.Platform == request.Platform
            || (request.AllowMixedScheduling && account.Platform == Platforms.Antigravity && account.MixedScheduling
                && Platforms.AcceptsMixedScheduling(request.Platform));
        return platformOk && (request.Model.Length == 0 || account.SupportsModel(request.Model));
    }

    /// <summary>Priority (lower first) → load rate → never used first → least recently used → random.</summary>
    private IEnumerable<AccountModel> Order(IEnumerable<AccountModel> accounts, Func<AccountModel, int> loadRate) =>
        accounts
            .Select(a => (Account: a, LastUsed: health.LastUsed(a.Id), Tie: Random.Shared.Next()))
            .OrderBy(x => x.Account.Priority)
            .ThenBy(x => loadRate(x.Account))
            .ThenBy(x => x.LastUsed.HasValue)
            .ThenBy(x => x.LastUsed ?? DateTime.MinValue)
            .ThenBy(x => x.Tie)
            .Select(x => x.Account);
}

using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Scheduling.StickySessions;

namespace Sub2Api.Scheduling;

/// <summary>
/// Step 4 as one call: select an account and, when the selection is a wait plan, wait in that account's
/// bounded queue (SSE pings meanwhile) until its slot frees up. A successful wait binds the sticky session.
/// </summary>
internal sealed class AccountSlotAcquirer(AccountScheduler scheduler, IConcurrencySlots slots, SlotWaiter waiter,
    IStickySessionStore sticky, AccountHealth health, TimeProvider time)
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    /// <summary>The account with its held slot; or no account and the reason (and the HTTP status to answer).</summary>
    public async Task<(AccountModel? Account, SlotLease? Lease, int Status, string? Error)> AcquireAsync(SelectionRequest request,
        Func<CancellationToken, Task>? ping, CancellationToken cancellationToken)
    {
        var selection = await scheduler.SelectAsync(request, cancellationToken);
        if (selection.Account is null)
        {
            return (null, null, 503, selection.Error);
        }
        if (selection.Lease is not null)
        {
            return (selection.Account, selection.Lease, 200, null);
        }
        var plan = selection.Wait!;
        var queue = SlotScopes.AccountQueue(plan.Account.Id);
        if (!await slots.TryEnterQueueAsync(queue, plan.MaxWaiting))
        {
            return (null, null, 429, "Too many pending requests, please retry later");
        }
        SlotLease? lease;
        try
        {
            lease = await waiter.AcquireAsync(SlotWaiter.AccountKind, SlotScopes.Account(plan.Account.Id), request.RequestId, plan.Account.Concurrency,
                plan.Timeout, PingInterval, ping, cancellationToken);
        }
        finally
        {
            await slots.LeaveQueueAsync(queue);
        }
        if (lease is null)
        {
            return (null, null, 429, "Concurrency limit exceeded for account, please retry later");
        }
        if (request.StickyKey is { } key)
        {
            await sticky.SetAsync(key, plan.Account.Id, StickyKeys.Ttl);
        }
        health.MarkUsed(plan.Account.Id, time.GetUtcNow().UtcDateTime);
        return (plan.Account, lease, 200, null);
    }
}

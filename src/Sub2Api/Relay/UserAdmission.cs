using Sub2Api.Auth;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Relay;

/// <summary>
/// Step 3: the per-user wait queue and concurrency slot (SPEC §4.1 steps 4–6). At most
/// <c>max(concurrency, 1) + 20</c> requests of a user may wait, each for up to 30 s; streaming clients get SSE
/// pings meanwhile. After the wait, billing eligibility is checked again — the balance may have run out while
/// this request queued.
/// </summary>
internal sealed class UserAdmission(IConcurrencySlots slots, SlotWaiter waiter, ApiKeyAuthenticator authenticator, TimeProvider time)
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    public const int ExtraWaiters = 20;

    /// <summary>The held user slot, or null after an error was written to the client.</summary>
    public async Task<SlotLease?> AdmitAsync(RelayRequest request, ClientChannel client, CancellationToken cancellationToken)
    {
        var user = request.Caller.User;
        var scope = SlotScopes.User(user.Id);
        SlotLease? lease;
        if (user.Concurrency <= 0)
        {
            lease = new SlotLease(slots, scope, request.RequestId); // unlimited: nothing to hold, nothing to release
        }
        else if (await slots.TryAcquireAsync(scope, request.RequestId, user.Concurrency, cancellationToken))
        {
            lease = new SlotLease(slots, scope, request.RequestId);
        }
        else
        {
            var queue = SlotScopes.UserQueue(user.Id);
            if (!await slots.TryEnterQueueAsync(queue, Math.Max(user.Concurrency, 1) + ExtraWaiters))
            {
                await client.WriteErrorAsync(429, "rate_limit_error", "Too many pending requests, please retry later");
                return null;
            }
            try
            {
                lease = await waiter.AcquireAsync(SlotWaiter.UserKind, scope, request.RequestId, user.Concurrency, WaitTimeout, PingInterval,
                    request.Stream ? client.PingAsync : null, cancellationToken);
            }
            finally
            {
                await slots.LeaveQueueAsync(queue);
            }
            if (lease is null)
            {
                await client.WriteErrorAsync(429, "rate_limit_error", "Concurrency limit exceeded for user, please retry later");
                return null;
            }
        }
        if (await authenticator.CheckBillingAsync(request.Caller, time.GetUtcNow().UtcDateTime, cancellationToken) is { } billingError)
        {
            await lease.DisposeAsync();
            await client.WriteErrorAsync(billingError.Status, "billing_error", billingError.Message);
            return null;
        }
        return lease;
    }
}

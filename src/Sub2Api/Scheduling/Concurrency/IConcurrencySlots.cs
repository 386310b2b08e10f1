namespace Sub2Api.Scheduling.Concurrency;

/// <summary>Load of one account for the scheduler: slots in use plus requests queued for it.</summary>
internal readonly record struct AccountLoad(long AccountId, int InUse, int Waiting, int LoadRate);

/// <summary>
/// Concurrency slots and wait counters (SPEC §4.7). A slot is held by a request id; acquiring the same id
/// twice counts once and releasing is idempotent. <c>max &lt;= 0</c> means unlimited. The in-memory version
/// serves one process; a Redis version with the same semantics serves a cluster.
/// </summary>
internal interface IConcurrencySlots
{
    ValueTask<bool> TryAcquireAsync(string scope, string requestId, int max, CancellationToken cancellationToken);

    ValueTask ReleaseAsync(string scope, string requestId);

    ValueTask<int> CountAsync(string scope);

    /// <summary>Joins a wait queue unless it already holds <paramref name="max"/> waiters.</summary>
    ValueTask<bool> TryEnterQueueAsync(string queue, int max);

    /// <summary>Leaves a wait queue; never drops below zero.</summary>
    ValueTask LeaveQueueAsync(string queue);

    ValueTask<int> QueueLengthAsync(string queue);

    /// <summary>All candidates' loads in one call (one round trip for the Redis version).</summary>
    ValueTask<IReadOnlyDictionary<long, AccountLoad>> GetAccountLoadsAsync(IReadOnlyList<(long AccountId, int MaxConcurrency)> accounts);
}

/// <summary>Slot and queue names, shared by every implementation (and by Redis key names later).</summary>
internal static class SlotScopes
{
    public static string Account(long id) => $"concurrency:account:{id}";
    public static string User(long id) => $"concurrency:user:{id}";
    public static string UserQueue(long id) => $"concurrency:wait:{id}";
    public static string AccountQueue(long id) => $"wait:account:{id}";
}

using System.Collections.Concurrent;

namespace Sub2Api.Scheduling.Concurrency;

/// <summary>
/// Single-process slots: a set of request ids per scope under a lock, and plain counters for queues.
/// Leases are released in <c>finally</c>/<c>DisposeAsync</c>, so nothing here needs a TTL to recover from leaks
/// within a process; a crash takes all slots with it.
/// </summary>
internal sealed class MemoryConcurrencySlots : IConcurrencySlots
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _slots = new();
    private readonly ConcurrentDictionary<string, StrongBox<int>> _queues = new();

    public ValueTask<bool> TryAcquireAsync(string scope, string requestId, int max, CancellationToken cancellationToken)
    {
        var holders = _slots.GetOrAdd(scope, _ => []);
        lock (holders)
        {
            if (max <= 0 || holders.Contains(requestId) || holders.Count < max)
            {
                holders.Add(requestId);
                return ValueTask.FromResult(true);
            }
            return ValueTask.FromResult(false);
        }
    }

    public ValueTask ReleaseAsync(string scope, string requestId)
    {
        if (_slots.TryGetValue(scope, out var holders))
        {
            lock (holders)
            {
                holders.Remove(requestId);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountAsync(string scope)
    {
        if (!_slots.TryGetValue(scope, out var holders))
        {
            return ValueTask.FromResult(0);
        }
        lock (holders)
        {
            return ValueTask.FromResult(holders.Count);
        }
    }

    public ValueTask<bool> TryEnterQueueAsync(string queue, int max)
    {
        var counter = _queues.GetOrAdd(queue, _ => new StrongBox<int>());
        lock (counter)
        {
            if (counter.Value >= max)
            {
                return ValueTask.FromResult(false);
            }
            counter.Value++;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask LeaveQueueAsync(string queue)
    {
        if (_queues.TryGetValue(queue, out var counter))
        {
            lock (counter)
            {
                counter.Value = Math.Max(0, counter.Value - 1);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> QueueLengthAsync(string queue)
    {
        if (!_queues.TryGetValue(queue, out var counter))
        {
            return ValueTask.FromResult(0);
        }
        lock (counter)
        {
            return ValueTask.FromResult(counter.Value);
        }
    }

    public async ValueTask<IReadOnlyDictionary<long, AccountLoad>> GetAccountLoadsAsync(IReadOnlyList<(long AccountId, int MaxConcurrency)> accounts)
    {
        var loads = new Dictionary<long, AccountLoad>(accounts.Count);
        foreach (var (id, max) in accounts)
        {
            var inUse = await CountAsync(SlotScopes.Account(id));
            var waiting = await QueueLengthAsync(SlotScopes.AccountQueue(id));
            var rate = max <= 0 ? 0 : (inUse + waiting) * 100 / max;
            loads[id] = new AccountLoad(id, inUse, waiting, rate);
        }
        return loads;
    }

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}

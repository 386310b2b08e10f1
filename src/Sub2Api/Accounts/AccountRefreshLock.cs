using System.Collections.Concurrent;

namespace Sub2Api.Accounts;

/// <summary>
/// The per-account lock every credential write takes (token refreshes, an admin's credential edit). One node:
/// a <see cref="SemaphoreSlim"/> per account. Several nodes: the Redis implementation adds a lock in Redis on top,
/// so exactly one process in the cluster holds an account's lock at a time.
/// </summary>
internal interface IAccountRefreshLock
{
    /// <summary>Waits up to <paramref name="wait"/> for the account's lock; null when it could not be had in time.</summary>
    Task<IAsyncDisposable?> AcquireAsync(long accountId, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>The in-process lock: one semaphore per account, created on first use and kept (a few bytes each).</summary>
internal sealed class LocalAccountRefreshLock : IAccountRefreshLock
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();

    public async Task<IAsyncDisposable?> AcquireAsync(long accountId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var semaphore = _locks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        return await semaphore.WaitAsync(wait, cancellationToken) ? new Releaser(semaphore) : null;
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
            return ValueTask.CompletedTask;
        }
    }
}

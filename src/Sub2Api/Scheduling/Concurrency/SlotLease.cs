namespace Sub2Api.Scheduling.Concurrency;

/// <summary>
/// A held slot, released exactly once on dispose — the .NET form of the original's "release func wrapped to
/// run once, on completion or on client disconnect". Release never uses the request's token: a client that
/// went away must still free its slot.
/// </summary>
internal sealed class SlotLease(IConcurrencySlots slots, string scope, string requestId) : IAsyncDisposable
{
    private int _released;

    public string Scope { get; } = scope;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await slots.ReleaseAsync(Scope, requestId);
        }
    }
}

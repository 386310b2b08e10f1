using Sub2Api.Observability;

namespace Sub2Api.Scheduling.Concurrency;

/// <summary>
/// Waits for a slot: immediate try, then retries with backoff (100 ms × 1.5 up to 2 s, ±20 % jitter, as the
/// original) until the timeout. <paramref name="onPing"/> runs every ping interval while waiting, so a streaming
/// client sees SSE keep-alives instead of silence. A request that really waited (the immediate try failed) has its
/// wait counted in <c>sub2api.slot.wait.duration</c>, whether it got the slot or timed out.
/// </summary>
internal sealed class SlotWaiter(IConcurrencySlots slots, GatewayMetrics metrics, TimeProvider time)
{
    public const string UserKind = "user";
    public const string AccountKind = "account";

    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    /// <param name="kind"><see cref="UserKind"/> or <see cref="AccountKind"/>: the label of the wait.</param>
    public async Task<SlotLease?> AcquireAsync(string kind, string scope, string requestId, int max, TimeSpan timeout, TimeSpan pingInterval,
        Func<CancellationToken, Task>? onPing, CancellationToken cancellationToken)
    {
        if (await slots.TryAcquireAsync(scope, requestId, max, cancellationToken))
        {
            return new SlotLease(slots, scope, requestId);
        }
        var start = time.GetTimestamp();
        var lastPing = start;
        var backoff = InitialBackoff;
        while (time.GetElapsedTime(start) < timeout)
        {
            var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
            var remaining = timeout - time.GetElapsedTime(start);
            var delay = TimeSpan.FromTicks(Math.Min((long)(backoff.Ticks * jitter), Math.Max(remaining.Ticks, 0)));
            await Task.Delay(delay, time, cancellationToken);
            if (onPing is not null && time.GetElapsedTime(lastPing) >= pingInterval)
            {
                lastPing = time.GetTimestamp();
                await onPing(cancellationToken);
            }
            if (await slots.TryAcquireAsync(scope, requestId, max, cancellationToken))
            {
                metrics.SlotWaited(kind, time.GetElapsedTime(start).TotalSeconds);
                return new SlotLease(slots, scope, requestId);
            }
            backoff = TimeSpan.FromTicks(Math.Min((long)(backoff.Ticks * 1.5), MaxBackoff.Ticks));
        }
        metrics.SlotWaited(kind, time.GetElapsedTime(start).TotalSeconds);
        return null;
    }
}

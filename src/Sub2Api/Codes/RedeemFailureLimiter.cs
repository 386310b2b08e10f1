using System.Collections.Concurrent;

namespace Sub2Api.Codes;

/// <summary>
/// At most <see cref="MaxFailures"/> failed redeem attempts per user per hour, so codes cannot be guessed by brute
/// force. Kept in this process (a fixed one-hour window per user): with N nodes a user gets at most N times the
/// budget, still far too few tries to guess 128-bit codes.
/// </summary>
internal sealed class RedeemFailureLimiter(TimeProvider time)
{
    public const int MaxFailures = 20;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<long, Counter> _counters = new();

    private sealed class Counter
    {
        public DateTimeOffset WindowStart;
        public int Failures;
    }

    public bool IsBlocked(long userId)
    {
        if (!_counters.TryGetValue(userId, out var counter))
        {
            return false;
        }
        lock (counter)
        {
            return time.GetUtcNow() - counter.WindowStart < Window && counter.Failures >= MaxFailures;
        }
    }

    public void RecordFailure(long userId)
    {
        var now = time.GetUtcNow();
        var counter = _counters.GetOrAdd(userId, _ => new Counter { WindowStart = now });
        lock (counter)
        {
            if (now - counter.WindowStart >= Window)
            {
                counter.WindowStart = now;
                counter.Failures = 0;
            }
            counter.Failures++;
        }
        if (_counters.Count > 10_000)
        {
            Prune(now);
        }
    }

    /// <summary>Forgets users whose window is over, so the map stays bounded by recent failers.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (userId, counter) in _counters)
        {
            if (now - counter.WindowStart >= Window)
            {
                _counters.TryRemove(userId, out _);
            }
        }
    }
}

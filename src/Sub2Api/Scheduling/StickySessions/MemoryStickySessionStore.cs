using System.Collections.Concurrent;

namespace Sub2Api.Scheduling.StickySessions;

/// <summary>In-process bindings. Expired entries are dropped when read and swept every few minutes.</summary>
internal sealed class MemoryStickySessionStore(TimeProvider time) : IStickySessionStore
{
    private readonly ConcurrentDictionary<string, (long AccountId, DateTime ExpiresAt)> _bindings = new();
    private DateTime _nextSweep = DateTime.MinValue;

    public ValueTask<long?> GetAsync(string key)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Sweep(now);
        if (_bindings.TryGetValue(key, out var binding))
        {
            if (binding.ExpiresAt > now)
            {
                return ValueTask.FromResult<long?>(binding.AccountId);
            }
            _bindings.TryRemove(KeyValuePair.Create(key, binding));
        }
        return ValueTask.FromResult<long?>(null);
    }

    public ValueTask SetAsync(string key, long accountId, TimeSpan ttl)
    {
        _bindings[key] = (accountId, time.GetUtcNow().UtcDateTime + ttl);
        return ValueTask.CompletedTask;
    }

    public ValueTask RefreshAsync(string key, TimeSpan ttl)
    {
        if (_bindings.TryGetValue(key, out var binding))
        {
            _bindings.TryUpdate(key, (binding.AccountId, time.GetUtcNow().UtcDateTime + ttl), binding);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(string key)
    {
        _bindings.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    private void Sweep(DateTime now)
    {
        if (now < _nextSweep)
        {
            return;
        }
        _nextSweep = now.AddMinutes(5);
        foreach (var (key, binding) in _bindings)
        {
            if (binding.ExpiresAt <= now)
            {
                _bindings.TryRemove(KeyValuePair.Create(key, binding));
            }
        }
    }
}

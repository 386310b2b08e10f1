namespace Sub2Api.Scheduling.StickySessions;

/// <summary>Session → account bindings with a TTL (SPEC §4.2: 1 hour), keyed per group.</summary>
internal interface IStickySessionStore
{
    ValueTask<long?> GetAsync(string key);
    ValueTask SetAsync(string key, long accountId, TimeSpan ttl);
    ValueTask RefreshAsync(string key, TimeSpan ttl);
    ValueTask DeleteAsync(string key);
}

internal static class StickyKeys
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    /// <summary><c>sticky_session:{groupId|0}:{hash}</c>, as the original names its Redis keys.</summary>
    public static string For(long? groupId, string sessionHash) => $"sticky_session:{groupId ?? 0}:{sessionHash}";
}

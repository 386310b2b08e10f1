using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// A started browser flow: what the exchange needs later. The proxy is kept by id, not URL, so a proxy password
/// never sits in the session store.
/// </summary>
internal sealed record ClaudeOAuthSession(string Verifier, string State, bool SetupToken, long? ProxyId, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"ClaudeOAuthSession {{ SetupToken = {SetupToken}, ProxyId = {ProxyId}, CreatedAt = {CreatedAt:O} }}";
}

/// <summary>
/// Started flows, kept <see cref="Lifetime"/>. A session is taken exactly once: the exchange removes it whatever
/// its outcome, so a code cannot be replayed against it and two exchanges cannot race. With Redis the store is
/// shared, so any node can finish a flow another node started.
/// </summary>
internal interface IClaudeOAuthSessionStore
{
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>Stores the session and returns its new id.</summary>
    Task<string> CreateAsync(ClaudeOAuthSession session, CancellationToken ct);

    /// <summary>Removes and returns the session; null when it never existed, expired, or was already taken.</summary>
    Task<ClaudeOAuthSession?> TakeAsync(string sessionId, CancellationToken ct);

    /// <summary>128 random bits as hex: unguessable, and safe in a key or a URL.</summary>
    static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>Sessions in this process (single-node mode).</summary>
internal sealed class MemoryClaudeOAuthSessionStore(TimeProvider time) : IClaudeOAuthSessionStore
{
    private readonly ConcurrentDictionary<string, ClaudeOAuthSession> _sessions = new(StringComparer.Ordinal);

    public Task<string> CreateAsync(ClaudeOAuthSession session, CancellationToken ct)
    {
        // Abandoned flows are dropped here rather than by a timer: creating is rare, and this bounds the map.
        var now = time.GetUtcNow();
        foreach (var (id, stale) in _sessions)
        {
            if (IsExpired(stale, now))
            {
                _sessions.TryRemove(id, out _);
            }
        }
        var sessionId = IClaudeOAuthSessionStore.NewId();
        _sessions[sessionId] = session;
        return Task.FromResult(sessionId);
    }

    public Task<ClaudeOAuthSession?> TakeAsync(string sessionId, CancellationToken ct) =>
        Task.FromResult(_sessions.TryRemove(sessionId, out var session) && !IsExpired(session, time.GetUtcNow()) ? session : null);

    private static bool IsExpired(ClaudeOAuthSession session, DateTimeOffset now) => now - session.CreatedAt > IClaudeOAuthSessionStore.Lifetime;
}

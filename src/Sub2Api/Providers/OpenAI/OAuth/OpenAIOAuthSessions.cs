using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// A started ChatGPT login: what the exchange needs later. The proxy is kept by id, not URL, so a proxy password
/// never sits in the session store; the redirect URI is kept because the exchange must send the one the login used.
/// </summary>
internal sealed record OpenAIOAuthSession(string Verifier, string State, string RedirectUri, long? ProxyId, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"OpenAIOAuthSession {{ ProxyId = {ProxyId}, CreatedAt = {CreatedAt:O} }}";
}

/// <summary>
/// Started logins, kept <see cref="Lifetime"/>. A session is taken exactly once: the exchange removes it whatever its
/// outcome, so a code cannot be replayed against it and two exchanges cannot race. With Redis the store is shared,
/// so any node can finish a login another node started.
/// </summary>
internal interface IOpenAIOAuthSessionStore
{
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>Stores the session and returns its new id.</summary>
    Task<string> CreateAsync(OpenAIOAuthSession session, CancellationToken ct);

    /// <summary>Removes and returns the session; null when it never existed, expired, or was already taken.</summary>
    Task<OpenAIOAuthSession?> TakeAsync(string sessionId, CancellationToken ct);

    /// <summary>128 random bits as hex: unguessable, and safe in a key or a URL.</summary>
    static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>Sessions in this process (single-node mode).</summary>
internal sealed class MemoryOpenAIOAuthSessionStore(TimeProvider time) : IOpenAIOAuthSessionStore
{
    private readonly ConcurrentDictionary<string, OpenAIOAuthSession> _sessions = new(StringComparer.Ordinal);

    public Task<string> CreateAsync(OpenAIOAuthSession session, CancellationToken ct)
    {
        // Abandoned logins are dropped here rather than by a timer: creating is rare, and this bounds the map.
        var now = time.GetUtcNow();
        foreach (var (id, stale) in _sessions)
        {
            if (IsExpired(stale, now))
            {
                _sessions.TryRemove(id, out _);
            }
        }
        var sessionId = IOpenAIOAuthSessionStore.NewId();
        _sessions[sessionId] = session;
        return Task.FromResult(sessionId);
    }

    public Task<OpenAIOAuthSession?> TakeAsync(string sessionId, CancellationToken ct) =>
        Task.FromResult(_sessions.TryRemove(sessionId, out var session) && !IsExpired(session, time.GetUtcNow()) ? session : null);

    private static bool IsExpired(OpenAIOAuthSession session, DateTimeOffset now) => now - session.CreatedAt > IOpenAIOAuthSessionStore.Lifetime;
}

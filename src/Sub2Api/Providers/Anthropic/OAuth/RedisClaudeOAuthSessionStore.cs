using System.Text.Json;
using StackExchange.Redis;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// Claude OAuth flow sessions in Redis (key <c>oauth_session:claude:{id}</c>, SET EX for the session lifetime, taken
/// with GETDEL), so an admin whose exchange lands on another node than the one that made the auth URL still
/// finishes the flow, and the session is used at most once across the cluster.
/// </summary>
internal sealed class RedisClaudeOAuthSessionStore(RedisConnection redis) : IClaudeOAuthSessionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDatabase _db = redis.Database;

    public static string Key(string sessionId) => "oauth_session:claude:" + sessionId;

    public async Task<string> CreateAsync(ClaudeOAuthSession session, CancellationToken ct)
    {
        var sessionId = IClaudeOAuthSessionStore.NewId();
        await _db.StringSetAsync(Key(sessionId), JsonSerializer.Serialize(session, Json), IClaudeOAuthSessionStore.Lifetime);
        return sessionId;
    }

    public async Task<ClaudeOAuthSession?> TakeAsync(string sessionId, CancellationToken ct)
    {
        var value = await _db.StringGetDeleteAsync(Key(sessionId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<ClaudeOAuthSession>(value.ToString(), Json);
    }
}

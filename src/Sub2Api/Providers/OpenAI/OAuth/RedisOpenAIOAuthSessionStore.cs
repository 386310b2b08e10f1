using System.Text.Json;
using StackExchange.Redis;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// ChatGPT login sessions in Redis (key <c>oauth_session:openai:{id}</c>, SET EX for the session lifetime, taken with
/// GETDEL), so an admin whose exchange lands on another node than the one that made the auth URL still finishes the
/// login, and the session is used at most once across the cluster.
/// </summary>
internal sealed class RedisOpenAIOAuthSessionStore(RedisConnection redis) : IOpenAIOAuthSessionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDatabase _db = redis.Database;

    public static string Key(string sessionId) => "oauth_session:openai:" + sessionId;

    public async Task<string> CreateAsync(OpenAIOAuthSession session, CancellationToken ct)
    {
        var sessionId = IOpenAIOAuthSessionStore.NewId();
        await _db.StringSetAsync(Key(sessionId), JsonSerializer.Serialize(session, Json), IOpenAIOAuthSessionStore.Lifetime);
        return sessionId;
    }

    public async Task<OpenAIOAuthSession?> TakeAsync(string sessionId, CancellationToken ct)
    {
        var value = await _db.StringGetDeleteAsync(Key(sessionId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<OpenAIOAuthSession>(value.ToString(), Json);
    }
}

using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;
using Sub2Api.Configuration;

namespace Sub2Api.Infrastructure.Redis;

/// <summary>
/// The one Redis connection of this node (multiplexed, reconnecting by itself) and the key space of this
/// deployment: every key and the pub/sub channel carry <see cref="RedisOptions.KeyPrefix"/>.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    public RedisConnection(RedisOptions options, Cluster.ClusterNode node)
    {
        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        // Start even while Redis is still coming up (compose starts everything at once): the multiplexer keeps
        // reconnecting in the background, and every caller here fails open or retries.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "sub2api-" + node.Id;
        Multiplexer = ConnectionMultiplexer.Connect(configuration);
        Prefix = options.KeyPrefix;
        Database = Multiplexer.GetDatabase().WithKeyPrefix(Prefix);
    }

    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>The database with this deployment's key prefix applied to every key (also to a script's KEYS).</summary>
    public IDatabase Database { get; }

    public string Prefix { get; }

    /// <summary>A pub/sub channel of this deployment (channels are not covered by the key prefix).</summary>
    public RedisChannel Channel(string name) => RedisChannel.Literal(Prefix + name);

    public void Dispose() => Multiplexer.Dispose();
}

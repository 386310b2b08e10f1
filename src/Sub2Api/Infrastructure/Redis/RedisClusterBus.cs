using System.Text.Json;
using StackExchange.Redis;
using Sub2Api.Accounts;
using Sub2Api.Billing;
using Sub2Api.Infrastructure.Caching;
using ClusterNode = Sub2Api.Infrastructure.Cluster.ClusterNode;

namespace Sub2Api.Infrastructure.Redis;

/// <summary>
/// One message on the cluster channel: a configuration scope that moved, users whose charges were committed, or
/// accounts whose credentials changed.
/// </summary>
internal sealed record ClusterMessage(string Node, string Type, int Scope = 0, long[]? Users = null, long[]? Accounts = null)
{
    public const string Config = "config";
    public const string Balance = "balance";
    public const string Credentials = "credentials";
}

/// <summary>
/// Carries cache invalidations between nodes over Redis pub/sub (channel <c>{prefix}cluster:events</c>):
/// <list type="bullet">
/// <item>a local <see cref="ConfigGeneration"/> bump (admin change, account marked 429/529/error, key quota…)
/// is published, and every other node applies it with <see cref="ConfigGeneration.BumpFromRemote"/> — its caller
/// cache and account snapshot are rebuilt from the database on their next use;</item>
/// <item>users whose charges this node committed are published, and the others drop those cached balances
/// (<see cref="BalanceView.Invalidate"/>) and subscription windows;</item>
/// <item>an account whose credentials this node changed (a token refresh) is published, and the others re-read
/// just that account's credentials (<see cref="AccountCredentialStore.ReloadFromRemote"/>) — no pool rebuild.</item>
/// </list>
/// Messages carry the sender's node id; a node ignores its own. Pub/sub is fire-and-forget, so after a lost
/// connection this node treats everything as changed (a message may have been missed meanwhile).
/// </summary>
internal sealed partial class RedisClusterBus(RedisConnection redis, ClusterNode node, ConfigGeneration generation, BalanceView balances,
    Subscriptions.SubscriptionUsageView subscriptions,
    AccountCredentialStore credentials, IConfiguration configuration, Microsoft.Extensions.Options.IOptions<Sub2Api.Configuration.RedisOptions> options,
    ILogger<RedisClusterBus> logger) : IHostedService
{
    public const string ChannelName = "cluster:events";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly RedisChannel _channel = redis.Channel(ChannelName);
    private ChannelMessageQueue? _queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WarnAboutSecrets();
        _queue = await SubscribeAsync(cancellationToken);
        _queue.OnMessage(message => Receive(message.Message));
        generation.ChangedLocally += OnConfigChanged;
        balances.Committed += OnCommitted;
        credentials.ChangedLocally += OnCredentialsChanged;
        redis.Multiplexer.ConnectionRestored += OnConnectionRestored;
        Log.Started(logger, node.Id, redis.Prefix);
    }

    /// <summary>
    /// Subscribes, waiting while Redis is still unreachable (nodes and Redis often start together): the node does
    /// not serve before it can hear the others, and gives up after <c>Redis:StartupRetrySeconds</c>.
    /// </summary>
    private async Task<ChannelMessageQueue> SubscribeAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(options.Value.StartupRetrySeconds);
        for (var attempt = 1; !redis.Multiplexer.IsConnected; attempt++)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException(
                    $"Redis not reachable after {options.Value.StartupRetrySeconds} s (Redis:ConnectionString, Redis:StartupRetrySeconds).");
            }
            Log.NotReady(logger, attempt, "not connected");
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
        }
        // Once subscribed, the multiplexer re-subscribes by itself after any later reconnect.
        return await redis.Multiplexer.GetSubscriber().SubscribeAsync(_channel);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        generation.ChangedLocally -= OnConfigChanged;
        balances.Committed -= OnCommitted;
        credentials.ChangedLocally -= OnCredentialsChanged;
        redis.Multiplexer.ConnectionRestored -= OnConnectionRestored;
        if (_queue is not null)
        {
            await _queue.UnsubscribeAsync();
        }
    }

    private void OnConfigChanged(ConfigScope scope) => Publish(new ClusterMessage(node.Id, ClusterMessage.Config, Scope: (int)scope));

    private void OnCommitted(IReadOnlyCollection<long> userIds)
    {
        if (userIds.Count > 0)
        {
            Publish(new ClusterMessage(node.Id, ClusterMessage.Balance, Users: [.. userIds]));
        }
    }

    private void OnCredentialsChanged(long accountId) =>
        Publish(new ClusterMessage(node.Id, ClusterMessage.Credentials, Accounts: [accountId]));

    private void Publish(ClusterMessage message)
    {
        try
        {
            redis.Multiplexer.GetSubscriber().Publish(_channel, JsonSerializer.Serialize(message, Json), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PublishFailed(logger, message.Type, e.Message);
        }
    }

    internal void Receive(RedisValue payload)
    {
        ClusterMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<ClusterMessage>((string)payload!, Json);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null || message.Node == node.Id)
        {
            return;
        }
        switch (message.Type)
        {
            case ClusterMessage.Config when message.Scope is > 0 and <= (int)ConfigScope.All:
                generation.BumpFromRemote((ConfigScope)message.Scope);
                break;
            case ClusterMessage.Balance when message.Users is not null:
                foreach (var userId in message.Users)
                {
                    balances.Invalidate(userId);
                    subscriptions.InvalidateUser(userId);
                }
                break;
            case ClusterMessage.Credentials when message.Accounts is not null:
                foreach (var accountId in message.Accounts)
                {
                    credentials.ReloadFromRemote(accountId);
                }
                break;
            default:
                Log.Unknown(logger, message.Type);
                break;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            Log.Resynchronised(logger);
            generation.BumpFromRemote(ConfigScope.All);
        }
    }

    private void WarnAboutSecrets()
    {
        var missing = new[] { "JWT_SECRET", "ENCRYPTION_KEY" }.Where(name => string.IsNullOrEmpty(configuration[name])).ToList();
        if (missing.Count > 0)
        {
            Log.SecretsNotShared(logger, string.Join(" and ", missing));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(730, LogLevel.Information, "Cluster bus up: node {Node}, key prefix '{Prefix}'")]
        public static partial void Started(ILogger logger, string node, string prefix);

        [LoggerMessage(731, LogLevel.Warning, "Redis: publishing a {Type} message failed ({Error}); other nodes catch up within their cache lifetimes")]
        public static partial void PublishFailed(ILogger logger, string type, string error);

        [LoggerMessage(732, LogLevel.Warning, "Cluster bus: unknown message type {Type}")]
        public static partial void Unknown(ILogger logger, string type);

        [LoggerMessage(733, LogLevel.Information, "Cluster bus reconnected; reloading cached configuration")]
        public static partial void Resynchronised(ILogger logger);

        [LoggerMessage(735, LogLevel.Warning, "Redis not reachable yet (attempt {Attempt}): {Reason}; retrying")]
        public static partial void NotReady(ILogger logger, int attempt, string reason);

        [LoggerMessage(734, LogLevel.Warning,
            "Multi-node mode (Redis configured) but {Names} not set: this node uses the secret generated in its own DATA_DIR, " +
            "so login tokens, API keys and account credentials made on other nodes will not work here (and vice versa). Give every node the same JWT_SECRET and ENCRYPTION_KEY.")]
        public static partial void SecretsNotShared(ILogger logger, string names);
    }
}

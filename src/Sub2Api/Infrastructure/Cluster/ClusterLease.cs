using StackExchange.Redis;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Infrastructure.Cluster;

/// <summary>
/// Named leases for work that must run on one node of the cluster at a time (key <c>lease:{name}</c>, value =
/// the owner). Acquire is <c>SET NX PX</c>; the holder renews by extending its own lease (Lua: only if the value
/// is still its owner id); release deletes it only if still owned. A holder that dies simply stops renewing, and
/// another node gets the lease once it runs out. Without Redis (single node) every lease is granted.
/// </summary>
internal sealed class ClusterLease
{
    private readonly IDatabase? _db;

    /// <summary>Single-node mode: no one to share with, always granted.</summary>
    public ClusterLease(string owner)
    {
        Owner = owner;
    }

    public ClusterLease(IDatabase db, string owner)
    {
        _db = db;
        Owner = owner;
    }

    public string Owner { get; }

    public bool IsShared => _db is not null;

    public static string Key(string name) => $"lease:{name}";

    /// <summary>Takes the lease, or renews it when this owner already holds it. False: another owner holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, TimeSpan ttl)
    {
        if (_db is null)
        {
            return true;
        }
        var key = Key(name);
        if (await _db.StringSetAsync(key, Owner, ttl, When.NotExists))
        {
            return true;
        }
        return (long)await _db.ScriptEvaluateAsync(RedisScripts.RenewLease, [key], [Owner, (long)ttl.TotalMilliseconds]) == 1;
    }

    /// <summary>Gives the lease up if this owner holds it (a graceful stop hands the job over at once).</summary>
    public async Task ReleaseAsync(string name)
    {
        if (_db is not null)
        {
            await _db.ScriptEvaluateAsync(RedisScripts.ReleaseLease, [Key(name)], [Owner]);
        }
    }
}

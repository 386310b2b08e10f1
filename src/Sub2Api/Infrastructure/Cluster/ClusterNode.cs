namespace Sub2Api.Infrastructure.Cluster;

/// <summary>
/// This process's identity in the cluster: tags bus messages (a node ignores its own) and owns job leases.
/// Unique per start, so a restarted node is a new owner and never mistakes a stale lease for its own.
/// </summary>
internal sealed class ClusterNode
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}

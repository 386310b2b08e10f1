using StackExchange.Redis;

namespace Sub2Api.Infrastructure.Cluster;

/// <summary>
/// A periodic background job that runs on one node of the cluster: every <see cref="Interval"/> it takes (or
/// renews) its <see cref="ClusterLease"/> and runs only while holding it. The lease outlives an interval, so the
/// holder keeps the job; when the holder dies, another node takes over after at most the lease TTL. On a graceful
/// stop the lease is released so another node can pick the job up at its next tick.
/// </summary>
internal abstract partial class LeasedJob(ClusterLease lease, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    /// <summary>The lease name, unique per job.</summary>
    public abstract string Name { get; }

    public abstract TimeSpan Interval { get; }

    /// <summary>Lease lifetime; at least twice the interval so a healthy holder never loses it between runs.</summary>
    public virtual TimeSpan LeaseTtl => Interval * 2;

    private volatile bool _isLeader;
    private int _runs;

    /// <summary>Whether this node held the lease at its last tick.</summary>
    public bool IsLeader
    {
        get => _isLeader;
        private set => _isLeader = value;
    }

    /// <summary>Runs completed on this node.</summary>
    public int Runs => Volatile.Read(ref _runs);

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Whether the job also runs once at start instead of first waiting one interval.</summary>
    protected virtual bool RunsAtStart => false;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (RunsAtStart)
        {
            await Task.Yield(); // never hold up the host's start
            if (!await TickAsync(stoppingToken))
            {
                return;
            }
        }
        using var timer = new PeriodicTimer(Interval, Time);
        while (await WaitAsync(timer, stoppingToken) && await TickAsync(stoppingToken))
        {
        }
    }

    /// <summary>Takes or renews the lease and runs the job if held. False once the host is stopping.</summary>
    private async Task<bool> TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            var leader = await lease.TryAcquireAsync(Name, LeaseTtl);
            if (leader != IsLeader && lease.IsShared)
            {
                Log.Leadership(logger, Name, leader ? "took" : "lost", lease.Owner);
            }
            IsLeader = leader;
            if (leader)
            {
                await RunOnceAsync(stoppingToken);
                Interlocked.Increment(ref _runs);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Failed(logger, Name, e.GetType().Name, e.Message);
        }
        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (IsLeader)
        {
            try
            {
                await lease.ReleaseAsync(Name);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.Failed(logger, Name, e.GetType().Name, e.Message);
            }
            IsLeader = false;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(750, LogLevel.Information, "Job {Job}: {What} the cluster lease (node {Node})")]
        public static partial void Leadership(ILogger logger, string job, string what, string node);

        [LoggerMessage(751, LogLevel.Warning, "Job {Job} failed ({Error}: {Message}); retrying at the next tick")]
        public static partial void Failed(ILogger logger, string job, string error, string message);
    }
}

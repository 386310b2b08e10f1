using Microsoft.Extensions.Options;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Cluster;
using Sub2Api.Scheduling;

namespace Sub2Api.Accounts;

/// <summary>
/// Once at start and then every <see cref="TokenRefreshOptions.CheckIntervalSeconds"/>, on one node of the cluster
/// (a <see cref="ClusterLease"/>): refreshes every active OAuth and setup-token account whose access token ends
/// within <see cref="TokenRefreshOptions.RefreshBeforeExpiryMinutes"/>, one account at a time, so requests rarely
/// meet a token that needs an inline refresh. The expiry read here is only a hint; the refresh re-checks it from
/// the database under the account's lock.
/// </summary>
internal sealed partial class TokenRefreshJob(ClusterLease lease, AccountPool pool, AccountCredentialStore store, TokenRefreshService refresher,
    IOptionsMonitor<TokenRefreshOptions> options, TimeProvider time, ILogger<TokenRefreshJob> logger) : LeasedJob(lease, time, logger)
{
    public const string JobName = "token-refresh";

    public override string Name => JobName;

    public override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.05, options.CurrentValue.CheckIntervalSeconds));

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => RefreshDueAsync(cancellationToken);

    /// <summary>Tokens may have run low while the service was down: the first pass runs at start.</summary>
    protected override bool RunsAtStart => true;

    /// <summary>One pass; returns how many accounts it refreshed.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMinutes(options.CurrentValue.RefreshBeforeExpiryMinutes);
        var snapshot = await pool.GetAsync(cancellationToken);
        var refreshed = 0;
        foreach (var account in snapshot.All)
        {
            if (account.Status != Statuses.Active || !refresher.CanRefresh(account))
            {
                continue;
            }
            var current = await store.GetOrLoadAsync(account.Id, cancellationToken);
            if (current.RefreshToken is null || !current.ExpiresWithin(window, Time.GetUtcNow()))
            {
                continue;
            }
            var outcome = await refresher.RefreshAsync(account.Id, RefreshReason.Expiring, null, window, cancellationToken);
            if (outcome.Status == RefreshStatus.Refreshed)
            {
                refreshed++;
            }
        }
        if (refreshed > 0)
        {
            Log.Pass(logger, refreshed);
        }
        return refreshed;
    }

    private static partial class Log
    {
        [LoggerMessage(1220, LogLevel.Information, "Token refresh job: {Count} accounts refreshed")]
        public static partial void Pass(ILogger logger, int count);
    }
}

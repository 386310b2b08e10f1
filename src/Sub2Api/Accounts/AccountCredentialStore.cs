using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Security;

namespace Sub2Api.Accounts;

/// <summary>
/// The decrypted credentials of every account, one immutable <see cref="AccountCredentials"/> per account, kept
/// apart from the scheduling snapshot: a token refresh swaps one entry here and tells the other nodes which
/// account changed (they re-read just that row), instead of rebuilding every node's account pool. The forwarding
/// path reads the entry at send time.
/// <para>The database is the truth. Copies arrive from several places (a pool rebuild, a reload after a
/// cluster event, the refresh that just wrote one) in any order, so an entry is only ever replaced by one whose
/// <see cref="AccountCredentials.Version"/> is not older: a slow pool rebuild cannot bring back a rotated-away
/// token.</para>
/// </summary>
internal sealed partial class AccountCredentialStore(IDbContextFactory<Sub2ApiDbContext> dbFactory, CredentialsCodec codec,
    ILogger<AccountCredentialStore> logger)
{
    private readonly ConcurrentDictionary<long, AccountCredentials> _byId = new();

    /// <summary>Raised after this node changed an account's stored credentials, so a cluster bus can tell the others.</summary>
    public event Action<long>? ChangedLocally;

    public AccountCredentials? Get(long accountId) => _byId.TryGetValue(accountId, out var current) ? current : null;

    /// <summary>The entry, read from the database when this node has none yet.</summary>
    public async ValueTask<AccountCredentials> GetOrLoadAsync(long accountId, CancellationToken cancellationToken) =>
        Get(accountId) ?? await ReloadAsync(accountId, cancellationToken);

    /// <summary>Takes <paramref name="candidate"/> unless the entry already holds a newer version; returns the entry now held.</summary>
    public AccountCredentials Offer(long accountId, AccountCredentials candidate)
    {
        while (true)
        {
            if (!_byId.TryGetValue(accountId, out var current))
            {
                if (_byId.TryAdd(accountId, candidate))
                {
                    return candidate;
                }
                continue;
            }
            if (candidate.Version < current.Version || current == candidate)
            {
                return current;
            }
            if (_byId.TryUpdate(accountId, candidate, current))
            {
                return candidate;
            }
        }
    }

    /// <summary>Re-reads one account's credentials from the database (a deleted account is dropped).</summary>
    public async Task<AccountCredentials> ReloadAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => a.CredentialsEncrypted).FirstOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            _byId.TryRemove(accountId, out _);
            return AccountCredentials.None;
        }
        try
        {
            return Offer(accountId, AccountCredentials.From(codec.Unprotect(stored)));
        }
        catch (Exception e) when (e is JsonException or CryptographicException or FormatException)
        {
            Log.Unreadable(logger, accountId, e.GetType().Name);
            return Get(accountId) ?? AccountCredentials.None;
        }
    }

    /// <summary>Tells the other nodes (through the cluster bus) that this account's credentials changed in the database.</summary>
    public void Announce(long accountId) => ChangedLocally?.Invoke(accountId);

    /// <summary>Another node changed this account's credentials: re-read them in the background.</summary>
    public void ReloadFromRemote(long accountId) => _ = ReloadQuietlyAsync(accountId);

    private async Task ReloadQuietlyAsync(long accountId)
    {
        try
        {
            await ReloadAsync(accountId, CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            // The next pool rebuild or refresh re-reads the row anyway; the entry stays as it was meanwhile.
            Log.ReloadFailed(logger, accountId, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1200, LogLevel.Warning, "Credentials of account {AccountId} cannot be read ({Error})")]
        public static partial void Unreadable(ILogger logger, long accountId, string error);

        [LoggerMessage(1201, LogLevel.Warning, "Reloading the credentials of account {AccountId} failed ({Error})")]
        public static partial void ReloadFailed(ILogger logger, long accountId, string error);
    }
}

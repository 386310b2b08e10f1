using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Data;
using Sub2Api.Observability;
using Sub2Api.Scheduling;
using Sub2Api.Security;

namespace Sub2Api.Accounts;

/// <summary>Why a refresh was asked for; decides whether it is still needed once the lock is held.</summary>
internal enum RefreshReason
{
    /// <summary>The token ends soon (job or request path): refresh only if the stored token still ends within the window.</summary>
    Expiring,
    /// <summary>The upstream refused a token (401): refresh only if the stored token is still that one.</summary>
    Rejected,
    /// <summary>An admin asked: always refresh.</summary>
    Forced,
}

internal enum RefreshStatus
{
    /// <summary>This call obtained and stored new tokens.</summary>
    Refreshed,
    /// <summary>No refresh was needed: the stored token is fresh (possibly because another caller just refreshed it).</summary>
    Current,
    /// <summary>The account cannot be refreshed (no refresh token, a type without a refresh grant, or gone).</summary>
    NotRefreshable,
    /// <summary>Another caller held the account's lock for longer than the wait allows.</summary>
    Busy,
    /// <summary>Every try failed transiently; the account now rests (temporarily unschedulable).</summary>
    Failed,
    /// <summary>The provider refused the grant for good; the account is now in status error.</summary>
    Rejected,
}

/// <summary>What a refresh did and the credentials the caller should use now (never null; may be <see cref="AccountCredentials.None"/>).</summary>
internal sealed record RefreshOutcome(RefreshStatus Status, AccountCredentials Credentials, string? Error = null);

/// <summary>
/// Refreshes an account's access token without ever losing one, whichever path asks (background job, request
/// path near expiry, upstream 401, admin). Every refresh: takes the account's lock (across processes when Redis is
/// configured); re-reads the credentials from the database under it; refreshes only if still needed (a caller that
/// waited behind another's refresh gets the fresh token instead); calls the provider through the account's proxy;
/// writes the rotated refresh token together with the new access token and expiry in one update of the encrypted
/// credentials (every other field kept); then swaps the credential store entry and tells the other nodes which
/// account changed. The account pool is not rebuilt and no configuration generation moves.
/// </summary>
internal sealed partial class TokenRefreshService(
    AccountCredentialStore store, IAccountRefreshLock refreshLock, IEnumerable<ITokenRefresher> refreshers,
    IDbContextFactory<Sub2ApiDbContext> dbFactory, CredentialsCodec codec, AccountPool pool, AccountHealth health,
    IOptionsMonitor<TokenRefreshOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<TokenRefreshService> logger)
{
    private const int MaxErrorLength = 500;
    private const int WriteAttempts = 3;
    private readonly ITokenRefresher[] _refreshers = [.. refreshers];
    private int _grants;

    /// <summary>Refresh-token grants this node sent (each try counts), for tests and diagnostics.</summary>
    public int Grants => Volatile.Read(ref _grants);

    public bool CanRefresh(AccountModel account) => account.IsOAuth && Refresher(account.Platform, account.Type) is not null;

    /// <summary>
    /// The credentials a request should send now: the stored ones, refreshed first (inline) when they end within
    /// <see cref="TokenRefreshOptions.InlineRefreshBeforeExpirySeconds"/>.
    /// </summary>
    public async ValueTask<RefreshOutcome> ForRequestAsync(AccountModel account, CancellationToken cancellationToken)
    {
        var current = await store.GetOrLoadAsync(account.Id, cancellationToken);
        var window = TimeSpan.FromSeconds(options.CurrentValue.InlineRefreshBeforeExpirySeconds);
        if (current.RefreshToken is null || !current.ExpiresWithin(window, time.GetUtcNow()) || !CanRefresh(account))
        {
            return new RefreshOutcome(RefreshStatus.Current, current);
        }
        return await RefreshAsync(account.Id, RefreshReason.Expiring, null, window, cancellationToken);
    }

    /// <summary>
    /// Refreshes the account under its lock if still needed. The caller's token only bounds how long it waits:
    /// the refresh itself runs to the end, because a refresh cut between the provider's answer (the old refresh
    /// token is spent from then on) and the database write would lose the account.
    /// </summary>
    /// <param name="rejectedAccessToken">For <see cref="RefreshReason.Rejected"/>: the token the upstream refused.</param>
    /// <param name="window">For <see cref="RefreshReason.Expiring"/>: refresh when the stored token ends within it.</param>
    public Task<RefreshOutcome> RefreshAsync(long accountId, RefreshReason reason, string? rejectedAccessToken, TimeSpan window,
        CancellationToken cancellationToken) =>
        RefreshUnderLockAsync(accountId, reason, rejectedAccessToken, window).WaitAsync(cancellationToken);

    private async Task<RefreshOutcome> RefreshUnderLockAsync(long accountId, RefreshReason reason, string? rejectedAccessToken, TimeSpan window)
    {
        var settings = options.CurrentValue;
        await using var held = await refreshLock.AcquireAsync(accountId, TimeSpan.FromSeconds(settings.LockWaitSeconds), CancellationToken.None);
        if (held is null)
        {
            Log.Busy(logger, accountId);
            return new RefreshOutcome(RefreshStatus.Busy, store.Get(accountId) ?? AccountCredentials.None, "another refresh of this account is still running");
        }

        // :: the database is the truth: another node may have refreshed while this caller waited for the lock
        var row = await ReadAsync(accountId);
        if (row is null)
        {
            return new RefreshOutcome(RefreshStatus.NotRefreshable, AccountCredentials.None, "account not found");
        }
        JsonObject credentials;
        try
        {
            credentials = codec.Unprotect(row.CredentialsEncrypted);
        }
        catch (Exception e) when (e is JsonException or CryptographicException or FormatException)
        {
            return new RefreshOutcome(RefreshStatus.NotRefreshable, AccountCredentials.None, "stored credentials cannot be read");
        }
        var stored = AccountCredentials.From(credentials);
        store.Offer(accountId, stored);
        var now = time.GetUtcNow();
        var needed = reason switch
        {
            RefreshReason.Forced => true,
            RefreshReason.Rejected => rejectedAccessToken is null || stored.AccessToken == rejectedAccessToken,
            _ => stored.ExpiresWithin(window, now),
        };
        if (!needed)
        {
            return new RefreshOutcome(RefreshStatus.Current, stored);
        }
        var refresher = Refresher(row.Platform, row.Type);
        if (refresher is null || stored.RefreshToken is null)
        {
            return new RefreshOutcome(RefreshStatus.NotRefreshable, stored,
                refresher is null ? $"{row.Platform} {row.Type} accounts have no token refresh" : "the account has no refresh token");
        }

        // :: the grant, with retries for transient failures
        var proxyUrl = (await pool.GetAsync(CancellationToken.None)).ById.GetValueOrDefault(accountId)?.ProxyUrl;
        var attempt = await GrantAsync(accountId, refresher, stored.RefreshToken, proxyUrl, settings);
        // Counted once per refresh (not per try): the grant either produced tokens or the account now rests or is in error.
        metrics.TokenRefreshed(row.Platform, attempt.Tokens is not null);
        if (attempt.Tokens is not { } tokens)
        {
            var error = Shorten(attempt.Error);
            var tries = Math.Max(1, settings.MaxAttempts);
            if (attempt.Final || TokenRefreshErrors.IsFinal(error))
            {
                Log.Rejected(logger, accountId, error);
                await health.MarkErrorAsync(accountId, $"Token refresh failed: {error}", CancellationToken.None);
                return new RefreshOutcome(RefreshStatus.Rejected, stored, error);
            }
            var until = now.UtcDateTime.AddMinutes(settings.TempUnschedulableMinutes);
            Log.GaveUp(logger, accountId, tries, error);
            await health.MarkTempUnschedulableAsync(accountId, until,
                TempUnschedulableReason(now, until, $"Token refresh failed after {tries} tries: {error}"), CancellationToken.None);
            return new RefreshOutcome(RefreshStatus.Failed, stored, error);
        }

        // :: one write of the whole credentials object: new access token, rotated refresh token, expiry, version
        var updated = Merge(credentials, tokens, time.GetUtcNow(), stored.Version);
        // Into this node's store first: should the database stay unreachable, this node at least keeps serving.
        var fresh = store.Offer(accountId, AccountCredentials.From(updated));
        if (await WriteAsync(accountId, codec.Protect(updated)))
        {
            store.Announce(accountId);
        }
        Log.Refreshed(logger, accountId, reason.ToString(), fresh.ExpiresAt);
        return new RefreshOutcome(RefreshStatus.Refreshed, fresh);
    }

    private async Task<TokenRefreshAttempt> GrantAsync(long accountId, ITokenRefresher refresher, string refreshToken, string? proxyUrl,
        TokenRefreshOptions settings)
    {
        var tries = Math.Max(1, settings.MaxAttempts);
        TokenRefreshAttempt result = TokenRefreshAttempt.Transient("not tried");
        for (var n = 1; n <= tries; n++)
        {
            Interlocked.Increment(ref _grants);
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds)))
            {
                try
                {
                    result = await refresher.RefreshAsync(refreshToken, proxyUrl, timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    result = TokenRefreshAttempt.Transient("the token endpoint did not answer in time");
                }
                catch (HttpRequestException e)
                {
                    result = TokenRefreshAttempt.Transient($"network error ({e.HttpRequestError})");
                }
            }
            if (result.Tokens is not null || result.Final || TokenRefreshErrors.IsFinal(result.Error))
            {
                return result;
            }
            Log.TryFailed(logger, accountId, n, tries, Shorten(result.Error));
            if (n < tries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(settings.RetryBackoffMilliseconds * Math.Pow(2, n - 1)), time);
            }
        }
        return result;
    }

    /// <summary>The stored credentials with the new tokens applied; every other field (model mapping, rules, …) kept.</summary>
    internal static JsonObject Merge(JsonObject stored, RefreshedTokens tokens, DateTimeOffset now, long previousVersion)
    {
        var merged = stored.DeepClone().AsObject();
        merged[AccountCredentials.AccessTokenField] = tokens.AccessToken;
        if (!string.IsNullOrEmpty(tokens.RefreshToken))
        {
            merged[AccountCredentials.RefreshTokenField] = tokens.RefreshToken;
        }
        if (tokens.ExpiresInSeconds > 0)
        {
            merged[AccountCredentials.ExpiresInField] = tokens.ExpiresInSeconds;
            merged[AccountCredentials.ExpiresAtField] = now.AddSeconds(tokens.ExpiresInSeconds).ToUnixTimeSeconds();
        }
        else
        {
            // Unknown lifetime: no expiry to plan by; the 401 path refreshes it when the upstream refuses it.
            merged.Remove(AccountCredentials.ExpiresInField);
            merged.Remove(AccountCredentials.ExpiresAtField);
        }
        if (!string.IsNullOrEmpty(tokens.TokenType))
        {
            merged["token_type"] = tokens.TokenType;
        }
        if (!string.IsNullOrEmpty(tokens.Scope))
        {
            merged["scope"] = tokens.Scope;
        }
        foreach (var (name, value) in tokens.Identity ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }
        merged[AccountCredentials.VersionField] = NextVersion(now, previousVersion);
        return merged;
    }

    /// <summary>Unix ms of the write, but always above the previous version (clocks of two nodes may disagree).</summary>
    internal static long NextVersion(DateTimeOffset now, long previousVersion) => Math.Max(now.ToUnixTimeMilliseconds(), previousVersion + 1);

    private sealed record AccountRow(string Platform, string Type, string CredentialsEncrypted);

    private async Task<AccountRow?> ReadAsync(long accountId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => new AccountRow(a.Platform, a.Type, a.CredentialsEncrypted)).FirstOrDefaultAsync();
    }

    /// <summary>
    /// Only the credentials column (and the row's update stamp): status, marks and everything else an admin or the
    /// health tracker may be writing at the same moment stay theirs. No configuration generation moves.
    /// </summary>
    private async Task<bool> WriteAsync(long accountId, string encrypted)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var now = time.GetUtcNow().UtcDateTime;
                await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId).ExecuteUpdateAsync(
                    s => s.SetProperty(a => a.CredentialsEncrypted, encrypted).SetProperty(a => a.UpdatedAt, now));
                return true;
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // The provider has already spent the old refresh token: losing this write would lose the account.
                Log.WriteFailed(logger, accountId, n, e.GetType().Name);
                if (n >= WriteAttempts)
                {
                    return false;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200 * n), time);
            }
        }
    }

    private ITokenRefresher? Refresher(string platform, string type) => Array.Find(_refreshers, r => r.Handles(platform, type));

    private static string TempUnschedulableReason(DateTimeOffset now, DateTime until, string message) => new JsonObject
    {
        ["until_unix"] = new DateTimeOffset(until, TimeSpan.Zero).ToUnixTimeSeconds(),
        ["triggered_at_unix"] = now.ToUnixTimeSeconds(),
        ["status_code"] = 0,
        ["matched_keyword"] = "token_refresh",
        ["rule_index"] = -1,
        ["error_message"] = message,
    }.ToJsonString();

    private static string Shorten(string? error) =>
        string.IsNullOrWhiteSpace(error) ? "unknown error" : error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;

    private static partial class Log
    {
        [LoggerMessage(1210, LogLevel.Information, "Account {AccountId}: token refreshed ({Reason}), valid until {ExpiresAt:O}")]
        public static partial void Refreshed(ILogger logger, long accountId, string reason, DateTimeOffset? expiresAt);

        [LoggerMessage(1211, LogLevel.Warning, "Account {AccountId}: token refresh try {Attempt}/{Tries} failed: {Error}")]
        public static partial void TryFailed(ILogger logger, long accountId, int attempt, int tries, string error);

        [LoggerMessage(1212, LogLevel.Warning, "Account {AccountId}: token refresh failed after {Tries} tries ({Error}); temporarily unschedulable")]
        public static partial void GaveUp(ILogger logger, long accountId, int tries, string error);

        [LoggerMessage(1213, LogLevel.Error, "Account {AccountId}: the provider refused the refresh token ({Error}); account marked error")]
        public static partial void Rejected(ILogger logger, long accountId, string error);

        [LoggerMessage(1214, LogLevel.Warning, "Account {AccountId}: waited too long for another refresh of this account; using the stored token")]
        public static partial void Busy(ILogger logger, long accountId);

        [LoggerMessage(1215, LogLevel.Error, "Account {AccountId}: writing refreshed credentials failed (try {Attempt}, {Error})")]
        public static partial void WriteFailed(ILogger logger, long accountId, int attempt, string error);
    }
}

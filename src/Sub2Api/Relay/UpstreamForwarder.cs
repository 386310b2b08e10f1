using Microsoft.Extensions.Options;
using Sub2Api.Accounts;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Scheduling;

namespace Sub2Api.Relay;

/// <summary>The upstream's answer to one account: a response to relay, or a classified failure with its body.</summary>
internal sealed class UpstreamAttempt : IDisposable
{
    /// <summary>The upstream response: on success to relay; on failure only for its headers (body already read).</summary>
    public HttpResponseMessage? Response { get; init; }
    public int Status { get; init; }
    public UpstreamFailure Failure { get; init; }
    /// <summary>The error body (at most 64 KB) when the upstream answered 4xx/5xx.</summary>
    public byte[] ErrorBody { get; init; } = [];
    /// <summary>The upstream kept failing with a status worth retrying on the same account.</summary>
    public bool RetriesExhausted { get; init; }
    /// <summary>A token refresh already settled the account's standing (marked it, or found it busy): don't mark it again.</summary>
    public bool SkipHealthReport { get; init; }
    public required PreparedBody Body { get; init; }

    public bool IsSuccess => Failure == UpstreamFailure.None;

    public string? Header(string name) =>
        Response is { } r && (r.Headers.TryGetValues(name, out var values) || r.Content.Headers.TryGetValues(name, out values))
            ? values.FirstOrDefault()
            : null;

    public void Dispose() => Response?.Dispose();
}

/// <summary>
/// Step 5: build the request for the account (the request's provider knows how), send it (response headers only; the
/// body is streamed later), retry on the same account where the provider says so (at most 5 attempts within 10 s,
/// backoff 300 ms × 2^(n−1) capped at 3 s), and classify the outcome. No account marking here: that is <see cref="AccountHealth"/>'s job.
/// OAuth accounts send the token from the credential store, refreshed inline when it is about to end; a 401 gets
/// one refresh (unless another caller already rotated the token) and one retry before the account is marked.
/// </summary>
internal sealed partial class UpstreamForwarder(UpstreamHttpClients clients, TokenRefreshService tokens,
    IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<UpstreamForwarder> logger)
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(10);
    private const int MaxErrorBody = 64 * 1024;

    /// <param name="cancellationToken">The client's departure. It stops new attempts (a same-account retry, a signature
    /// retry) that nobody would read, never an attempt under way: the upstream works on a sent request all the same,
    /// so its answer is received — bounded by the response header timeout — and left to the caller to bill.</param>
    public async Task<UpstreamAttempt> SendAsync(AccountModel account, RelayRequest request, HttpRequest client,
        CancellationToken cancellationToken)
    {
        var provider = request.Provider;
        var body = provider.Prepare(account, request, client);
        var original = body;
        string? accessToken = null;
        if (account.IsOAuth)
        {
            var current = await tokens.ForRequestAsync(account, cancellationToken);
            if (current.Status is not (RefreshStatus.Current or RefreshStatus.Refreshed) && current.Credentials.IsExpired(time.GetUtcNow()))
            {
                // The token has ended and could not be renewed: the refresh marked the account (or another caller is
                // still refreshing it); this request moves on without sending a token bound to fail.
                return new UpstreamAttempt { Failure = UpstreamFailure.AuthRejected, Status = 401, Body = body, SkipHealthReport = true };
            }
            accessToken = current.Credentials.AccessToken;
        }
        var refreshedAfter401 = false;
        var skipHealthReport = false;
        var invoker = clients.For(account.ProxyUrl);
        var started = time.GetTimestamp();
        var corrections = 0;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var message = provider.Build(account, body, request, client, accessToken);
            HttpResponseMessage response;
            using (var headerTimeout = new CancellationTokenSource())
            {
                headerTimeout.CancelAfter(TimeSpan.FromSeconds(options.CurrentValue.ResponseHeaderTimeout));
                try
                {
                    response = await invoker.SendAsync(message, headerTimeout.Token);
                }
                catch (OperationCanceledException) when (headerTimeout.IsCancellationRequested)
                {
                    Log.Failed(logger, account.Id, "response header timeout");
                    return new UpstreamAttempt { Failure = UpstreamFailure.Timeout, Status = 504, Body = body };
                }
                catch (HttpRequestException e)
                {
                    Log.Failed(logger, account.Id, e.HttpRequestError.ToString());
                    return new UpstreamAttempt { Failure = UpstreamFailure.NetworkError, Status = 502, Body = body };
                }
            }
            var status = (int)response.StatusCode;
            if (status < 400)
            {
                return new UpstreamAttempt { Response = response, Status = status, Failure = UpstreamFailure.None, Body = body };
            }
            if (status == 401 && account.IsOAuth && !refreshedAfter401)
            {
                refreshedAfter401 = true;
                var renewed = await tokens.RefreshAsync(account.Id, RefreshReason.Rejected, accessToken, TimeSpan.Zero, cancellationToken);
                if (renewed.Credentials.AccessToken is { } fresh && fresh != accessToken)
                {
                    Log.RetryAfterRefresh(logger, account.Id);
                    response.Dispose();
                    accessToken = fresh;
                    attempt--; // not one of the same-account retry attempts
                    continue;
                }
                skipHealthReport = renewed.Status is RefreshStatus.Failed or RefreshStatus.Rejected or RefreshStatus.Busy;
            }
            var retryable = provider.ShouldRetrySameAccount(account, status);
            var backoff = TimeSpan.FromMilliseconds(Math.Min(300 * Math.Pow(2, attempt - 1), 3000));
            if (retryable && attempt < MaxAttempts && time.GetElapsedTime(started) + backoff < RetryBudget)
            {
                Log.Retrying(logger, account.Id, status, attempt);
                response.Dispose();
                await Task.Delay(backoff, time, cancellationToken);
                continue;
            }
            var errorBody = await ReadCappedAsync(response, options.CurrentValue.StreamDataIntervalTimeout);
            if (status == 400 && provider.CorrectAfterBadRequest(request, original, corrections, errorBody) is { } corrected)
            {
                // The provider knows a body its upstream will accept (e.g. without history blocks whose signatures no
                // longer verify): one more try on the same account. Never logs bodies.
                Log.CorrectedRetry(logger, account.Id, corrected.What);
                response.Dispose();
                corrections++;
                body = corrected.Body;
                attempt--; // not one of the same-account retry attempts
                continue;
            }
            return new UpstreamAttempt
            {
                Status = status,
                Failure = provider.Classify(status),
                ErrorBody = errorBody,
                RetriesExhausted = retryable,
                SkipHealthReport = skipHealthReport,
                Body = body,
                // Kept (disposed with the attempt) so Header() can read the failure's headers: a 429's reset time
                // comes from the provider's rate-limit headers.
                Response = response,
            };
        }
    }

    /// <summary>
    /// The error body, read whether the client stays or not (the account is marked by what it says), in at most
    /// <paramref name="limitSeconds"/> (0: no limit); what could not be read in time counts as no body.
    /// </summary>
    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, int limitSeconds)
    {
        using var limit = new CancellationTokenSource();
        if (limitSeconds > 0)
        {
            limit.CancelAfter(TimeSpan.FromSeconds(limitSeconds));
        }
        var cancellationToken = limit.Token;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBody];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return [];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(500, LogLevel.Warning, "Account {AccountId}: upstream request failed ({Reason})")]
        public static partial void Failed(ILogger logger, long accountId, string reason);

        [LoggerMessage(501, LogLevel.Information, "Account {AccountId}: upstream {Status}, retrying on the same account (attempt {Attempt})")]
        public static partial void Retrying(ILogger logger, long accountId, int status, int attempt);

        [LoggerMessage(502, LogLevel.Warning, "Account {AccountId}: upstream 400 ({Correction}) once more on the same account")]
        public static partial void CorrectedRetry(ILogger logger, long accountId, string correction);

        [LoggerMessage(503, LogLevel.Information, "Account {AccountId}: upstream 401, retrying once with the refreshed token")]
        public static partial void RetryAfterRefresh(ILogger logger, long accountId);
    }
}

using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Faults;

/// <summary>
/// An upstream that drops the connection under load: mid-stream (the client has its first events, then an in-band
/// error) or mid-JSON-body (nothing reached the client yet: another account is tried, and if none serves the
/// client gets the upstream error, never "no available accounts"). A broken connection never marks the account.
/// </summary>
public sealed class UpstreamCutTests
{
    [Fact]
    public async Task ResetMidStream_ClientGetsAnUpstreamErrorEvent_BilledForWhatMessageStartReported_AccountNotMarked()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var reset = await s.AddApiKeyAccountAsync("reset", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);

        var answers = await FaultTier.SendLoadAsync(s, key, stream: true);

        Assert.All(answers, a => FaultTier.AssertStreamCutWithError("upstream_error", a));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: FaultTier.Load, accountId: reset, cost: FaultTier.CutStreamCost, outputTokens: 1);
        await FaultTier.AssertNotMarkedAsync(s, reset);
        await FaultTier.AssertSlotsFreedAsync(s, userId, reset);
    }

    [Fact]
    public async Task TruncatedJson_OnlyAccount_ClientGets502UpstreamError_NothingBilled_LogNamesStatusAndFailure()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var truncate = await s.AddApiKeyAccountAsync("truncate", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);
        var logs = s.CaptureLogs();

        var answers = await FaultTier.SendLoadAsync(s, key, stream: false);

        Assert.All(answers, a => FaultTier.AssertAnthropicError(HttpStatusCode.BadGateway, "upstream_error", a));
        Assert.Equal(FaultTier.Load, s.UpstreamCount(truncate));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: 0);
        await FaultTier.AssertNotMarkedAsync(s, truncate);
        await FaultTier.AssertSlotsFreedAsync(s, userId, truncate);
        // The upstream's status and the kind of failure by name (not an enum's number).
        Assert.Equal(FaultTier.Load, logs.Messages.Count(m => m.Contains($"account {truncate} failed (200, NetworkError)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TruncatedJson_WithAHealthyAccount_EveryRequestFailsOverAndIsBilledOnce()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var truncate = await s.AddApiKeyAccountAsync("truncate", priority: 1, concurrency: FaultTier.Load);
        var ok = await s.AddApiKeyAccountAsync("ok", priority: 2, concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);

        var answers = await FaultTier.SendLoadAsync(s, key, stream: false);

        Assert.All(answers, FaultTier.AssertComplete);
        Assert.Equal(FaultTier.Load, s.UpstreamCount(truncate));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: FaultTier.Load, accountId: ok);
        await FaultTier.AssertNotMarkedAsync(s, truncate);
        await FaultTier.AssertSlotsFreedAsync(s, userId, truncate, ok);
    }
}

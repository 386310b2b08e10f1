using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Faults;

/// <summary>
/// An upstream that goes silent, under load: before its headers (cut after Gateway:ResponseHeaderTimeout, another
/// account tried), mid-stream or mid-body (cut after Gateway:StreamDataIntervalTimeout). Silence is a transport
/// fault: the account is never marked for it. What the upstream reported before it went silent is billed.
/// </summary>
public sealed class UpstreamHangTests
{
    [Fact]
    public async Task HangBeforeHeaders_OnlyAccount_EveryClientGets502UpstreamError_NothingBilled_AccountNotMarked()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var mute = await s.AddApiKeyAccountAsync("mute", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);

        var answers = await FaultTier.SendLoadAsync(s, key, stream: false, mixed: true);

        Assert.All(answers, a => FaultTier.AssertAnthropicError(HttpStatusCode.BadGateway, "upstream_error", a));
        Assert.Equal(FaultTier.Load, s.UpstreamCount(mute));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: 0); // the upstream reported nothing
        await FaultTier.AssertNotMarkedAsync(s, mute);
        await FaultTier.AssertSlotsFreedAsync(s, userId, mute);
    }

    [Fact]
    public async Task HangBeforeHeaders_WithAHealthyAccount_EveryRequestFailsOverAndIsBilledOnce()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var mute = await s.AddApiKeyAccountAsync("mute", priority: 1, concurrency: FaultTier.Load);
        var ok = await s.AddApiKeyAccountAsync("ok", priority: 2, concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);

        var answers = await FaultTier.SendLoadAsync(s, key, stream: false, mixed: true);

        Assert.All(answers, FaultTier.AssertComplete);
        Assert.Equal(FaultTier.Load, s.UpstreamCount(mute));
        Assert.Equal(FaultTier.Load, s.UpstreamCount(ok));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: FaultTier.Load, accountId: ok);
        await FaultTier.AssertNotMarkedAsync(s, mute);
        await FaultTier.AssertSlotsFreedAsync(s, userId, mute, ok);
    }

    [Fact]
    public async Task HangMidStream_CutWithAStreamTimeoutEvent_BilledForWhatMessageStartReported_AccountNotMarked()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var hang = await s.AddApiKeyAccountAsync("hang", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);

        var answers = await FaultTier.SendLoadAsync(s, key, stream: true);

        Assert.All(answers, a => FaultTier.AssertStreamCutWithError("stream_timeout", a));
        // Input and cache tokens from message_start, and its output count (1): the final message_delta never came.
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: FaultTier.Load, accountId: hang, cost: FaultTier.CutStreamCost, outputTokens: 1);
        await FaultTier.AssertNotMarkedAsync(s, hang);
        await FaultTier.AssertSlotsFreedAsync(s, userId, hang);
    }

    [Fact]
    public async Task HangMidJsonBody_CutAfterTheDataIntervalTimeout_ClientGets502UpstreamError_NothingBilled()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        var stall = await s.AddApiKeyAccountAsync("stall", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);
        var started = DateTime.UtcNow;

        var answers = await FaultTier.SendLoadAsync(s, key, stream: false);

        Assert.All(answers, a => FaultTier.AssertAnthropicError(HttpStatusCode.BadGateway, "upstream_error", a));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        // Half a JSON document carries no usage the gateway can trust: nothing is billed.
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: 0);
        await FaultTier.AssertNotMarkedAsync(s, stall);
        await FaultTier.AssertSlotsFreedAsync(s, userId, stall);
    }
}

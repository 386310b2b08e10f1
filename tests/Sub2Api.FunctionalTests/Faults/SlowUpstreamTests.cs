using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Faults;

/// <summary>
/// An upstream that answers slowly but never pauses as long as the timeouts: every answer takes longer in all than
/// Gateway:StreamDataIntervalTimeout, yet completes — the timeouts bound silence, not length.
/// </summary>
public sealed class SlowUpstreamTests
{
    [Fact]
    public async Task SlowButSteady_StreamsAndJsonComplete_BilledInFull_AccountNotMarked()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings());
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(150); // streams ~2.4 s, JSON ~1.2 s, never 1 s of silence
        var slow = await s.AddApiKeyAccountAsync("slowdrip", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);
        var started = DateTime.UtcNow;

        var answers = await FaultTier.SendLoadAsync(s, key, stream: false, mixed: true);

        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(1.1), "the answers outlasted the 1 s timeouts");
        Assert.All(answers, FaultTier.AssertComplete);
        Assert.Equal(FaultTier.Load / 2, answers.Count(a => a.Body.StartsWith("event:", StringComparison.Ordinal)));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: FaultTier.Load, accountId: slow);
        await FaultTier.AssertNotMarkedAsync(s, slow);
        await FaultTier.AssertSlotsFreedAsync(s, userId, slow);
    }
}

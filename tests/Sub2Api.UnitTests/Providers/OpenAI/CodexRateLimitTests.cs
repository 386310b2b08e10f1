using System.Text;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class CodexRateLimitTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    private static CodexUsageSnapshot Snapshot(double fiveHourUsed, TimeSpan fiveHourReset, double sevenDayUsed, TimeSpan sevenDayReset) =>
        new(new CodexUsageWindow(fiveHourUsed, Now + fiveHourReset, 300), new CodexUsageWindow(sevenDayUsed, Now + sevenDayReset, 10080), null, Now);

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void ResetFrom429_SevenDayFull_WinsEvenWhenFiveHourIsFullToo()
    {
        var snapshot = Snapshot(100, TimeSpan.FromHours(1), 100, TimeSpan.FromDays(3));

        Assert.Equal(Now.AddDays(3), CodexRateLimit.ResetFrom429(snapshot, [], Now));
    }

    [Fact]
    public void ResetFrom429_FiveHourFull_ItsReset()
    {
        var snapshot = Snapshot(100, TimeSpan.FromHours(2), 60, TimeSpan.FromDays(3));

        Assert.Equal(Now.AddHours(2), CodexRateLimit.ResetFrom429(snapshot, Body("""{"error":{"type":"usage_limit_reached","resets_in_seconds":60}}"""), Now));
    }

    [Theory]
    [InlineData("usage_limit_reached")]
    [InlineData("rate_limit_exceeded")]
    public void ResetFrom429_NoFullWindow_BodyResetsAt(string type)
    {
        var resetsAt = new DateTimeOffset(Now.AddMinutes(47)).ToUnixTimeSeconds();
        var body = Body($$$"""{"error":{"type":"{{{type}}}","message":"You've hit your usage limit","plan_type":"plus","resets_at":{{{resetsAt}}},"resets_in_seconds":9999}}""");

        Assert.Equal(Now.AddMinutes(47), CodexRateLimit.ResetFrom429(Snapshot(50, TimeSpan.FromHours(4), 50, TimeSpan.FromDays(3)), body, Now));
    }

    [Fact]
    public void ResetFrom429_NoSnapshot_BodyResetsInSeconds()
    {
        var body = Body("""{"error":{"type":"usage_limit_reached","resets_in_seconds":1800}}""");

        Assert.Equal(Now.AddMinutes(30), CodexRateLimit.ResetFrom429(null, body, Now));
    }

    [Fact]
    public void ResetFrom429_BodyOfAnotherType_IsIgnored()
    {
        var body = Body("""{"error":{"type":"invalid_request_error","resets_in_seconds":1800}}""");

        Assert.Equal(Now.AddMinutes(5), CodexRateLimit.ResetFrom429(null, body, Now));
    }

    [Fact]
    public void ResetFrom429_BodyResetInThePast_FallsThrough()
    {
        var past = new DateTimeOffset(Now.AddMinutes(-1)).ToUnixTimeSeconds();
        var body = Body($$$"""{"error":{"type":"usage_limit_reached","resets_at":{{{past}}}}}""");

        Assert.Equal(Now.AddMinutes(5), CodexRateLimit.ResetFrom429(null, body, Now));
    }

    [Fact]
    public void ResetFrom429_NothingKnown_FiveMinutes() =>
        Assert.Equal(Now.AddMinutes(5), CodexRateLimit.ResetFrom429(null, Body("not json"), Now));

    /// <summary>
    /// Pinned on purpose: the original benched the account until the LATER of the two windows' resets (here three
    /// days) on a burst 429 although neither window was full. We bench for the sooner of the 5-hour reset and five
    /// minutes.
    /// </summary>
    [Fact]
    public void ResetFrom429_BurstWithNoFullWindow_BenchesForTheSoonerOfFiveHourResetAndFiveMinutes_NotTheLaterReset()
    {
        var farFiveHourReset = Snapshot(35, TimeSpan.FromHours(4), 20, TimeSpan.FromDays(3));
        var nearFiveHourReset = Snapshot(35, TimeSpan.FromMinutes(2), 20, TimeSpan.FromDays(3));

        Assert.Equal(Now.AddMinutes(5), CodexRateLimit.ResetFrom429(farFiveHourReset, [], Now));
        Assert.Equal(Now.AddMinutes(2), CodexRateLimit.ResetFrom429(nearFiveHourReset, [], Now));
    }

    [Fact]
    public void ResetFrom429_FullWindowWhoseResetPassed_IsNotUsed()
    {
        var stale = Snapshot(100, TimeSpan.FromMinutes(-1), 100, TimeSpan.FromMinutes(-1));

        Assert.Equal(Now.AddMinutes(5), CodexRateLimit.ResetFrom429(stale, [], Now));
    }

    [Fact]
    public void CooldownFromSuccess_FullWindow_RestsUntilItsReset()
    {
        Assert.Equal(Now.AddHours(1), CodexRateLimit.CooldownFromSuccess(Snapshot(100, TimeSpan.FromHours(1), 80, TimeSpan.FromDays(2)), Now));
        Assert.Equal(Now.AddDays(2), CodexRateLimit.CooldownFromSuccess(Snapshot(10, TimeSpan.FromHours(1), 100, TimeSpan.FromDays(2)), Now));
        Assert.Equal(Now.AddDays(2), CodexRateLimit.CooldownFromSuccess(Snapshot(100, TimeSpan.FromHours(1), 100, TimeSpan.FromDays(2)), Now));
    }

    [Fact]
    public void CooldownFromSuccess_NothingFull_IsNull()
    {
        Assert.Null(CodexRateLimit.CooldownFromSuccess(Snapshot(99.5, TimeSpan.FromHours(1), 80, TimeSpan.FromDays(2)), Now));
        Assert.Null(CodexRateLimit.CooldownFromSuccess(null, Now));
    }
}

using Sub2Api.Auth;
using Sub2Api.Subscriptions;

namespace Sub2Api.UnitTests.Subscriptions;

public sealed class SubscriptionWindowsTests
{
    private static readonly DateTime Midnight = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AWindow_CountsUntilItsSpanHasPassed_ThenReadsEmpty()
    {
        Assert.Equal(4m, SubscriptionWindows.Effective(4m, Midnight, SubscriptionWindows.Daily, Midnight.AddHours(23.99)));
        Assert.Equal(0m, SubscriptionWindows.Effective(4m, Midnight, SubscriptionWindows.Daily, Midnight.AddDays(1)));
        Assert.Equal(0m, SubscriptionWindows.Effective(4m, null, SubscriptionWindows.Daily, Midnight)); // never started
        Assert.Equal(4m, SubscriptionWindows.Effective(4m, Midnight, SubscriptionWindows.Weekly, Midnight.AddDays(6.9)));
        Assert.Equal(0m, SubscriptionWindows.Effective(4m, Midnight, SubscriptionWindows.Monthly, Midnight.AddDays(30)));
    }

    [Fact]
    public void ACharge_AddsToTheCurrentWindow_OrStartsANewOneAtThatDaysMidnight()
    {
        var at = Midnight.AddHours(15);
        Assert.Equal((5.5m, Midnight), SubscriptionWindows.Charge(4m, Midnight, SubscriptionWindows.Daily, 1.5m, at, Midnight));
        var nextDay = Midnight.AddDays(1);
        Assert.Equal((1.5m, nextDay), SubscriptionWindows.Charge(4m, Midnight, SubscriptionWindows.Daily, 1.5m, nextDay.AddHours(3), nextDay));
        Assert.Equal((1.5m, Midnight), SubscriptionWindows.Charge(0m, null, SubscriptionWindows.Daily, 1.5m, at, Midnight));
    }

    [Fact]
    public void State_GivesProgressFields_AndAPassedWindowHasNoResetTime()
    {
        var now = Midnight.AddHours(6);
        var state = SubscriptionWindows.State(10m, 12m, Midnight, SubscriptionWindows.Daily, now);
        Assert.True(state.Exhausted);
        Assert.Equal(0m, state.RemainingUsd);
        Assert.Equal(Midnight.AddDays(1), state.ResetsAt);

        var passed = SubscriptionWindows.State(10m, 12m, Midnight, SubscriptionWindows.Daily, Midnight.AddDays(2));
        Assert.False(passed.Exhausted);
        Assert.Equal(10m, passed.RemainingUsd);
        Assert.Null(passed.ResetsAt);

        var unlimited = SubscriptionWindows.State(null, 1000m, Midnight, SubscriptionWindows.Daily, now);
        Assert.False(unlimited.Exhausted);
        Assert.Null(unlimited.RemainingUsd);
    }

    private static CallerGroup Group(decimal? daily, decimal? weekly, decimal? monthly) =>
        new(1, "plan", "anthropic", 1m, "subscription", "active", false, daily, weekly, monthly);

    [Fact]
    public void Caps_BlockAtTheCap_AndRemainingIsTheSmallestRemainder()
    {
        var usage = new SubscriptionUsage(3m, 8m, 8m);
        Assert.False(SubscriptionCaps.Reached(Group(5m, 10m, null), usage));
        Assert.True(SubscriptionCaps.Reached(Group(3m, null, null), usage)); // equal to the cap: reached
        Assert.True(SubscriptionCaps.Reached(Group(null, null, 7m), usage));
        Assert.False(SubscriptionCaps.Reached(Group(null, null, null), usage));

        Assert.Equal(2m, SubscriptionCaps.Remaining(Group(5m, 10m, null), usage));
        Assert.Equal(0m, SubscriptionCaps.Remaining(Group(5m, 7m, null), usage));
        Assert.Equal(-1m, SubscriptionCaps.Remaining(Group(null, null, null), usage));
    }
}

using Microsoft.Extensions.Configuration;
using Sub2Api.Subscriptions;

namespace Sub2Api.UnitTests.Subscriptions;

public sealed class SubscriptionClockTests
{
    private static SubscriptionClock Clock(string? zone) => SubscriptionClock.FromConfiguration(new ConfigurationBuilder()
        .AddInMemoryCollection([KeyValuePair.Create("Subscriptions:TimeZone", zone)]).Build());

    [Fact]
    public void DefaultsToUtcMidnight()
    {
        Assert.Equal(new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc),
            Clock(null).StartOfDay(new DateTime(2026, 3, 10, 23, 59, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void ALocalDay_StartsAtLocalMidnight()
    {
        // 2026-03-10 17:30 UTC is 2026-03-11 01:30 in Shanghai (UTC+8): its day began at 2026-03-10 16:00 UTC.
        Assert.Equal(new DateTime(2026, 3, 10, 16, 0, 0, DateTimeKind.Utc),
            Clock("Asia/Shanghai").StartOfDay(new DateTime(2026, 3, 10, 17, 30, 0, DateTimeKind.Utc)));
        // 15:30 UTC is still the 10th there (23:30).
        Assert.Equal(new DateTime(2026, 3, 9, 16, 0, 0, DateTimeKind.Utc),
            Clock("Asia/Shanghai").StartOfDay(new DateTime(2026, 3, 10, 15, 30, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void ADayWhoseMidnightASummerTimeChangeSkips_StartsAtItsFirstInstant()
    {
        // Chile moved its clocks from 00:00 to 01:00 on 2024-09-08: local midnight did not exist that day.
        var clock = Clock("America/Santiago");
        var start = clock.StartOfDay(new DateTime(2024, 9, 8, 15, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2024, 9, 8, 4, 0, 0, DateTimeKind.Utc), start); // 01:00 at UTC-3
    }

    [Fact]
    public void AnUnknownZone_FailsAtStartUpWithItsName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Clock("Mars/Olympus"));
        Assert.Contains("Mars/Olympus", error.Message, StringComparison.Ordinal);
    }
}

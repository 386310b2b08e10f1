using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class CodexUsageHeadersTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
    {
        var map = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return name => map.GetValueOrDefault(name);
    }

    [Fact]
    public void Parse_UsualOrder_PrimaryIsFiveHours()
    {
        var snapshot = CodexUsageHeaders.Parse(Headers(
            ("x-codex-primary-used-percent", "42.5"),
            ("x-codex-primary-reset-after-seconds", "3600"),
            ("x-codex-primary-window-minutes", "300"),
            ("x-codex-secondary-used-percent", "10"),
            ("x-codex-secondary-reset-after-seconds", "86400"),
            ("x-codex-secondary-window-minutes", "10080"),
            ("x-codex-primary-over-secondary-limit-percent", "0")), Now)!;

        Assert.Equal(new CodexUsageWindow(42.5, Now.AddHours(1), 300), snapshot.FiveHour);
        Assert.Equal(new CodexUsageWindow(10, Now.AddDays(1), 10080), snapshot.SevenDay);
        Assert.Equal(0, snapshot.PrimaryOverSecondaryLimitPercent);
        Assert.Equal(Now, snapshot.UpdatedAt);
    }

    [Fact]
    public void Parse_PrimaryIsTheSevenDayWindow_IsSortedByLength()
    {
        var snapshot = CodexUsageHeaders.Parse(Headers(
            ("x-codex-primary-used-percent", "100"),
            ("x-codex-primary-reset-after-seconds", "172800"),
            ("x-codex-primary-window-minutes", "10080"),
            ("x-codex-secondary-used-percent", "30"),
            ("x-codex-secondary-reset-after-seconds", "600"),
            ("x-codex-secondary-window-minutes", "300")), Now)!;

        Assert.Equal(new CodexUsageWindow(30, Now.AddMinutes(10), 300), snapshot.FiveHour);
        Assert.Equal(new CodexUsageWindow(100, Now.AddDays(2), 10080), snapshot.SevenDay);
    }

    [Fact]
    public void Parse_OnlyAWeeklyPrimary_LandsInTheSevenDaySlot()
    {
        var snapshot = CodexUsageHeaders.Parse(Headers(
            ("x-codex-primary-used-percent", "12"),
            ("x-codex-primary-window-minutes", "10080")), Now)!;

        Assert.Null(snapshot.FiveHour);
        Assert.Equal(new CodexUsageWindow(12, null, 10080), snapshot.SevenDay);
    }

    [Fact]
    public void Parse_OnlySecondaryHasALength_DecidesBothSlots()
    {
        var snapshot = CodexUsageHeaders.Parse(Headers(
            ("x-codex-primary-used-percent", "70"),
            ("x-codex-secondary-used-percent", "5"),
            ("x-codex-secondary-window-minutes", "300")), Now)!;

        Assert.Equal(5, snapshot.FiveHour!.Value.UsedPercent);
        Assert.Equal(70, snapshot.SevenDay!.Value.UsedPercent);
    }

    [Fact]
    public void Parse_NoLengths_PrimaryIsFiveHours()
    {
        var snapshot = CodexUsageHeaders.Parse(Headers(
            ("x-codex-primary-used-percent", "1"),
            ("x-codex-secondary-used-percent", "2")), Now)!;

        Assert.Equal(1, snapshot.FiveHour!.Value.UsedPercent);
        Assert.Equal(2, snapshot.SevenDay!.Value.UsedPercent);
    }

    [Fact]
    public void Parse_NoUsageHeaders_IsNull()
    {
        Assert.Null(CodexUsageHeaders.Parse(Headers(), Now));
        Assert.Null(CodexUsageHeaders.Parse(Headers(("x-codex-primary-used-percent", "lots"), ("x-codex-primary-window-minutes", "300")), Now));
    }

    [Fact]
    public void Parse_GarbageResetAndLength_AreLeftOut()
    {
        var snapshot = CodexUsageHeaders.Parse(Headers(
            ("x-codex-primary-used-percent", "50"),
            ("x-codex-primary-reset-after-seconds", "-5"),
            ("x-codex-primary-window-minutes", "abc")), Now)!;

        Assert.Equal(new CodexUsageWindow(50, null, null), snapshot.FiveHour);
    }

    [Fact]
    public void ToSessionWindow_SpansTheFiveHourWindow_WithItsStatus()
    {
        var reset = Now.AddHours(2);
        var allowed = new CodexUsageSnapshot(new CodexUsageWindow(40, reset, 300), null, null, Now);
        var rejected = allowed with { FiveHour = new CodexUsageWindow(100, reset, 300) };

        Assert.Equal(new(reset.AddHours(-5), reset, "allowed"), allowed.ToSessionWindow());
        Assert.Equal(new(reset.AddHours(-5), reset, "rejected"), rejected.ToSessionWindow());
        Assert.Null((allowed with { FiveHour = new CodexUsageWindow(40, null, 300) }).ToSessionWindow());
        Assert.Null((allowed with { FiveHour = null }).ToSessionWindow());
    }

    [Fact]
    public void ToExtra_UsesTheOriginalsKeyNames()
    {
        var snapshot = new CodexUsageSnapshot(
            new CodexUsageWindow(42.5, new DateTime(2026, 12, 7, 4, 0, 0, DateTimeKind.Utc), 300),
            new CodexUsageWindow(10, new DateTime(2026, 12, 10, 0, 0, 0, DateTimeKind.Utc), 10080),
            3.5,
            Now);

        var extra = snapshot.ToExtra();

        Assert.Equal(42.5, extra["codex_5h_used_percent"]);
        Assert.Equal("2026-12-07T04:00:00Z", extra["codex_5h_reset_at"]);
        Assert.Equal(300, extra["codex_5h_window_minutes"]);
        Assert.Equal(10.0, extra["codex_7d_used_percent"]);
        Assert.Equal("2026-12-10T00:00:00Z", extra["codex_7d_reset_at"]);
        Assert.Equal(10080, extra["codex_7d_window_minutes"]);
        Assert.Equal(3.5, extra["codex_primary_over_secondary_percent"]);
        Assert.Equal("2026-12-07T03:00:00Z", extra["codex_usage_updated_at"]);
    }

    [Fact]
    public void ToExtra_UnknownValues_AreLeftOut()
    {
        var extra = new CodexUsageSnapshot(new CodexUsageWindow(1, null, null), null, null, Now).ToExtra();

        Assert.Equal(["codex_5h_used_percent", "codex_usage_updated_at"], extra.Keys.Order().ToArray());
    }
}

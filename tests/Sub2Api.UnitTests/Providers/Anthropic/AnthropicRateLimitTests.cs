using System.Globalization;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Scheduling;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicRateLimitTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 14, 37, 12, DateTimeKind.Utc);
    private static readonly long NowUnix = new DateTimeOffset(Now).ToUnixTimeSeconds();

    /// <summary>
    /// "5h-reset=+3600;7d-utilization=1.0" → a case-insensitive lookup of anthropic-ratelimit-unified-* headers;
    /// values starting with '+' are seconds after <see cref="Now"/>, written as unix seconds.
    /// </summary>
    private static Func<string, string?> Headers(string spec)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in spec.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            if (value.StartsWith('+'))
            {
                value = (NowUnix + long.Parse(value[1..], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
            }

            headers["anthropic-ratelimit-unified-" + name] = value;
        }

        return name => headers.GetValueOrDefault(name);
    }

    [Theory]
    [InlineData("5h-reset=+3600;7d-reset=+259200;5h-surpassed-threshold=true;7d-surpassed-threshold=true", 259200, 3600L)]
    [InlineData("5h-reset=+3600;5h-surpassed-threshold=true;7d-surpassed-threshold=true;reset=+60", 3600, 3600L)]
    [InlineData("5h-reset=+3600;7d-reset=+259200;5h-surpassed-threshold=true;7d-utilization=0.42", 3600, 3600L)]
    [InlineData("5h-reset=+3600;7d-reset=+259200;5h-utilization=0.80;7d-utilization=1.0", 259200, 3600L)]
    [InlineData("5h-reset=+3600;7d-reset=+259200;7d-surpassed-threshold=TRUE", 259200, 3600L)]
    [InlineData("5h-reset=+7200;7d-reset=+3600;5h-utilization=0.99;7d-utilization=0.5", 3600, 7200L)]
    [InlineData("5h-reset=+3600;7d-reset=+259200;5h-utilization=0.9999999999", 3600, 3600L)]
    [InlineData("7d-reset=+259200", 259200, null)]
    [InlineData("reset=+1800", 1800, 1800L)]
    [InlineData("5h-reset=+3600;7d-surpassed-threshold=true;reset=+90000", 90000, 3600L)]
    [InlineData("5h-reset=garbage;7d-reset=;reset=+1800", 1800, 1800L)]
    [InlineData("", 300, null)]
    [InlineData("5h-status=rejected;5h-utilization=1.2", 300, null)]
    public void ResetFrom429_Headers_ChoosesWindow(string spec, long resetOffset, long? windowEndOffset)
    {
        var (resetAt, window) = AnthropicRateLimit.ResetFrom429(Headers(spec), Now);

        Assert.Equal(Now.AddSeconds(resetOffset), resetAt);
        Assert.Equal(DateTimeKind.Utc, resetAt.Kind);
        if (windowEndOffset is { } end)
        {
            Assert.Equal(new SessionWindow(Now.AddSeconds(end - 18000), Now.AddSeconds(end), "rejected"), window);
        }
        else
        {
            Assert.Null(window);
        }
    }

    [Fact]
    public void ResetFrom429_MillisecondTimestamp_ReadAsSeconds()
    {
        var millis = ((NowUnix + 600) * 1000).ToString(CultureInfo.InvariantCulture);
        var (resetAt, _) = AnthropicRateLimit.ResetFrom429(name => name == "anthropic-ratelimit-unified-reset" ? millis : null, Now);

        Assert.Equal(Now.AddSeconds(600), resetAt);
    }

    [Fact]
    public void ResetFrom429_NothingUsableWithCustomFallback_UsesFallback()
    {
        var (resetAt, window) = AnthropicRateLimit.ResetFrom429(_ => null, Now, TimeSpan.FromMinutes(2));

        Assert.Equal(Now.AddMinutes(2), resetAt);
        Assert.Null(window);
    }

    public static TheoryData<string?, string?, string?, string?> WindowCases => new()
    {
        // status header, current window "start|end|status" (hours from Now's hour), expected window, expected status
        { null, null, null, null },
        { null, "-1|4|allowed", null, null },
        { "allowed", null, "0|5", "allowed" },
        { "allowed_warning", null, "0|5", "allowed_warning" },
        { "rejected", null, null, null },
        { "allowed", "-6|-1|rejected", "0|5", "allowed" },
        { "allowed_warning", "-2|3|allowed", "-2|3", "allowed_warning" },
        { "rejected", "-2|3|allowed", "-2|3", "rejected" },
        { "rejected", "-6|-1|allowed", "-6|-1", "rejected" },
    };

    [Theory]
    [MemberData(nameof(WindowCases))]
    public void UpdateWindow_StatusAndCurrentWindow_Table(string? status, string? current, string? expectedBounds, string? expectedStatus)
    {
        var hour = new DateTime(2026, 3, 10, 14, 0, 0, DateTimeKind.Utc);
        SessionWindow? currentWindow = current?.Split('|') is [var s, var e, var st]
            ? new SessionWindow(hour.AddHours(int.Parse(s, CultureInfo.InvariantCulture)), hour.AddHours(int.Parse(e, CultureInfo.InvariantCulture)), st)
            : null;

        var updated = AnthropicRateLimit.UpdateWindow(
            name => name == "anthropic-ratelimit-unified-5h-status" ? status : null, Now, currentWindow);

        if (expectedBounds?.Split('|') is [var es, var ee])
        {
            Assert.Equal(
                new SessionWindow(hour.AddHours(int.Parse(es, CultureInfo.InvariantCulture)), hour.AddHours(int.Parse(ee, CultureInfo.InvariantCulture)), expectedStatus!),
                updated);
        }
        else
        {
            Assert.Null(updated);
        }
    }

    [Fact]
    public void UpdateWindow_NewWindow_IsFlooredToTheHourInUtc()
    {
        var updated = AnthropicRateLimit.UpdateWindow(_ => "allowed", Now, null);

        Assert.NotNull(updated);
        Assert.Equal(new DateTime(2026, 3, 10, 14, 0, 0, DateTimeKind.Utc), updated.Value.Start);
        Assert.Equal(DateTimeKind.Utc, updated.Value.Start.Kind);
        Assert.Equal(TimeSpan.FromHours(5), updated.Value.End - updated.Value.Start);
    }

    [Theory]
    [InlineData("allowed", true)]
    [InlineData(" allowed ", true)]
    [InlineData("allowed_warning", false)]
    [InlineData("rejected", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void SignalsRecovery_Status_OnlyAllowed(string? status, bool expected) =>
        Assert.Equal(expected, AnthropicRateLimit.SignalsRecovery(
            name => name == "anthropic-ratelimit-unified-5h-status" ? status : null));
}

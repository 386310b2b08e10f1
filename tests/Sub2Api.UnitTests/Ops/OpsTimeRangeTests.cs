using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Sub2Api.Ops;

namespace Sub2Api.UnitTests.Ops;

/// <summary>The ops routes' shared time window: <c>time_range</c> or <c>start_time</c>/<c>end_time</c>, always UTC.</summary>
public sealed class OpsTimeRangeTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static (bool Ok, DateTime Start, DateTime End, string? Error) Parse(string query)
    {
        var ok = OpsTimeRange.TryParse(new QueryCollection(QueryHelpers.ParseQuery(query)), Now, out var start, out var end, out var error);
        return (ok, start, end, error);
    }

    [Theory]
    [InlineData("", 60)]
    [InlineData("?time_range=5m", 5)]
    [InlineData("?time_range=30m", 30)]
    [InlineData("?time_range=1h", 60)]
    [InlineData("?time_range=6h", 360)]
    [InlineData("?time_range=24h", 1440)]
    [InlineData("?time_range=7d", 10080)]
    [InlineData("?time_range=30d", 43200)]
    public void TimeRange_EndsNow(string query, int minutes)
    {
        var (ok, start, end, error) = Parse(query);

        Assert.True(ok, error);
        Assert.Equal(Now, end);
        Assert.Equal(Now.AddMinutes(-minutes), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
    }

    [Fact]
    public void ExplicitTimes_WinOverTheRange_AndAreConvertedToUtc()
    {
        var (ok, start, end, _) = Parse("?time_range=7d&start_time=2026-12-01T08:00:00%2B08:00&end_time=2026-12-02T00:00:00Z");

        Assert.True(ok);
        Assert.Equal(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), end);
    }

    [Fact]
    public void OnlyOneExplicitTime_TheOtherFollowsTheRange()
    {
        var onlyStart = Parse("?start_time=2026-12-07T10:00:00Z");
        Assert.Equal((true, new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc), Now), (onlyStart.Ok, onlyStart.Start, onlyStart.End));

        var onlyEnd = Parse("?end_time=2026-12-06T00:00:00Z&time_range=6h");
        Assert.True(onlyEnd.Ok);
        Assert.Equal(new DateTime(2026, 12, 5, 18, 0, 0, DateTimeKind.Utc), onlyEnd.Start);
    }

    [Theory]
    [InlineData("?time_range=2y", "time_range")]
    [InlineData("?time_range=1H", "time_range")]
    [InlineData("?start_time=yesterday", "start_time")]
    [InlineData("?end_time=12/07/2026x", "end_time")]
    [InlineData("?start_time=2026-12-07T12:00:00Z&end_time=2026-12-07T12:00:00Z", "start_time must be before end_time")]
    [InlineData("?start_time=2026-12-08T00:00:00Z", "start_time must be before end_time")]
    // Found by the fuzz tier: end − span underflowed DateTime (a 500) for year 1, and buckets overflowed near year 9999.
    [InlineData("?end_time=0001-01-01T00:00:00Z", "end_time must lie between")]
    [InlineData("?end_time=0001-01-01", "end_time must lie between")]
    [InlineData("?end_time=9999-12-31T23:59:59Z", "end_time must lie between")]
    [InlineData("?start_time=0001-01-01T00:00:00Z", "start_time must lie between")]
    public void BadValues_AreRefusedWithAMessage(string query, string expected)
    {
        var (ok, _, _, error) = Parse(query);

        Assert.False(ok);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}

using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>Extreme dates on every route that filters usage by time: a 200 or a 400 envelope, never a 500.</summary>
public sealed class UsageDateBoundsTests
{
    private static readonly DateTime Day = new(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Routes =
        ["/api/v1/admin/usage", "/api/v1/admin/usage/stats", "/api/v1/usage", "/api/v1/usage/stats"];

    private static readonly string[] ExtremeQueries =
    [
        "end_date=9999-12-31", "start_date=9999-12-31", "start_date=9999-12-31&end_date=9999-12-31",
        "start_date=0001-01-01", "end_date=0001-01-01", "start_date=0001-01-01&end_date=9999-12-31",
        "start_date=2026-05-02&end_date=2026-05-01", "start_date=garbage", "end_date=2026-02-30", "end_date=10000-01-01",
        "start_time=0001-01-01T00:00:00%2B05:00", "end_time=9999-12-31T23:59:59-05:00", "start_time=9999-12-31T23:59:59Z",
        "end_time=0001-01-01T00:00:00Z", "start_time=not-a-time", "end_date=9999-12-31&period=month", "period=forever",
    ];

    [Fact]
    public async Task ExtremeDates_OnEveryUsageRoute_AreA200OrA400Envelope()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("dates@example.com");
        foreach (var route in Routes)
        {
            var client = route.StartsWith("/api/v1/admin", StringComparison.Ordinal) ? admin : user;
            foreach (var query in ExtremeQueries)
            {
                var result = await client.GetAsync($"{route}?{query}");
                Assert.True(result.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{route}?{query}: {(int)result.Status} {result.Body}");
                if (result.Status == HttpStatusCode.BadRequest)
                {
                    result.ShouldFail(HttpStatusCode.BadRequest);
                }
            }
        }
    }

    [Fact]
    public async Task EndDate_LastDayOfTheCalendar_MeansNoEnd()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, userId) = await app.AddUserAsync("open-ended@example.com");
        var key = await app.AddKeyAsync(userId);
        await app.AddUsageAsync(PortalArrange.Usage(userId, key, Day, totalCost: 1m), PortalArrange.Usage(userId, key, Day.AddYears(-1), totalCost: 2m));

        const string Range = "start_date=2026-05-01&end_date=9999-12-31";
        Assert.Equal(1, (await admin.GetAsync($"/api/v1/admin/usage?{Range}")).Data.GetProperty("total").GetInt64());
        Assert.Equal(1m, (await admin.GetAsync($"/api/v1/admin/usage/stats?{Range}")).Data.GetProperty("total_cost").GetDecimal());
        Assert.Equal(1, (await user.GetAsync($"/api/v1/usage?{Range}")).Data.GetProperty("total").GetInt64());
        Assert.Equal(3m, (await user.GetAsync("/api/v1/usage/stats?end_date=9999-12-31")).Data.GetProperty("total_cost").GetDecimal());
        Assert.Equal(0, (await user.GetAsync("/api/v1/usage?start_date=9999-12-31&end_date=9999-12-31")).Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Time_OutsideTheCalendarOnceInUtc_IsA400NamingTheParameter()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var result = await admin.GetAsync("/api/v1/admin/usage?end_time=9999-12-31T23:59:59-05:00");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("end_time", result.Message);
    }
}

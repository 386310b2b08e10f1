namespace Sub2Api.Subscriptions;

/// <summary>
/// Where "today" starts for subscription windows. <c>Subscriptions:TimeZone</c> (an IANA id, default UTC; the
/// original used Asia/Shanghai) decides which midnight a new window starts at.
/// </summary>
internal sealed class SubscriptionClock(TimeZoneInfo timeZone)
{
    public TimeZoneInfo TimeZone { get; } = timeZone;

    public static SubscriptionClock FromConfiguration(IConfiguration configuration)
    {
        var id = configuration["Subscriptions:TimeZone"];
        if (string.IsNullOrWhiteSpace(id))
        {
            return new SubscriptionClock(TimeZoneInfo.Utc);
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? new SubscriptionClock(zone)
            : throw new InvalidOperationException($"Subscriptions:TimeZone '{id}' is not a known time zone id (use an IANA id such as Asia/Shanghai)");
    }

    /// <summary>Midnight of <paramref name="utcNow"/>'s local day, as a UTC instant.</summary>
    public DateTime StartOfDay(DateTime utcNow)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), TimeZone);
        var midnight = DateTime.SpecifyKind(local.Date, DateTimeKind.Unspecified);
        // A midnight skipped by a DST change does not exist locally; the first instant of the day is an hour later.
        while (TimeZone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }
        return TimeZoneInfo.ConvertTimeToUtc(midnight, TimeZone);
    }
}

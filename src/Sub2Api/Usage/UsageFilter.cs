using System.Globalization;
using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.Usage;

/// <summary>
/// The usage-log filters shared by the user and admin pages. The time range is half-open:
/// <see cref="From"/> inclusive, <see cref="Until"/> exclusive, both UTC.
/// </summary>
internal sealed record UsageFilter
{
    public long? UserId { get; init; }
    public long? ApiKeyId { get; init; }
    public long? AccountId { get; init; }
    public long? GroupId { get; init; }
    public string? Model { get; init; }
    public bool? Stream { get; init; }
    public short? BillingType { get; init; }
    public DateTime? From { get; init; }
    public DateTime? Until { get; init; }

    /// <summary>
    /// Reads <c>user_id, api_key_id, account_id, group_id, model, stream, billing_type</c> and either
    /// <c>start_date/end_date</c> (YYYY-MM-DD, whole UTC days, both inclusive) or <c>start_time/end_time</c>
    /// (ISO-8601; end exclusive). Bad values throw a 400 naming the parameter.
    /// </summary>
    public static UsageFilter FromQuery(HttpRequest request)
    {
        var from = ReadBound(request, "start_date", "start_time", endOfDay: false);
        var until = ReadBound(request, "end_date", "end_time", endOfDay: true);
        if (from is { } f && until is { } u && f >= u)
        {
            throw ApiException.BadRequest("start of the time range must be before its end");
        }
        var billingType = ReadLong(request, "billing_type");
        if (billingType is not null and not (BillingTypes.Balance or BillingTypes.Subscription))
        {
            throw ApiException.BadRequest("billing_type must be 0 (balance) or 1 (subscription)");
        }
        var model = request.Query["model"].ToString().Trim();
        return new UsageFilter
        {
            UserId = ReadLong(request, "user_id"),
            ApiKeyId = ReadLong(request, "api_key_id"),
            AccountId = ReadLong(request, "account_id"),
            GroupId = ReadLong(request, "group_id"),
            Model = model.Length == 0 ? null : model,
            Stream = ReadBool(request, "stream"),
            BillingType = (short?)billingType,
            From = from,
            Until = until,
        };
    }

    /// <summary>
    /// <c>period=today|week|month</c>: a shortcut for the start of the range (UTC day start, 7 days ago, one month ago).
    /// An explicit start wins.
    /// </summary>
    public UsageFilter WithPeriod(HttpRequest request, DateTime now)
    {
        var period = request.Query["period"].ToString().Trim().ToLowerInvariant();
        DateTime? start = period switch
        {
            "" or "all" => null,
            "today" => now.Date,
            "week" => now.AddDays(-7),
            "month" => now.AddMonths(-1),
            _ => throw ApiException.BadRequest("period must be one of: today, week, month"),
        };
        return start is null || From is not null ? this : this with { From = start };
    }

    private static DateTime? ReadBound(HttpRequest request, string dateName, string timeName, bool endOfDay)
    {
        var date = request.Query[dateName].ToString().Trim();
        var time = request.Query[timeName].ToString().Trim();
        if (date.Length > 0 && time.Length > 0)
        {
            throw ApiException.BadRequest($"use either {dateName} or {timeName}, not both");
        }
        if (date.Length > 0)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw ApiException.BadRequest($"{dateName} must be YYYY-MM-DD");
            }
            // end_date names the last day included, so the exclusive bound is the next midnight. The last day
            // the calendar has (9999-12-31, what date pickers send for "no end") has no next midnight: the range is
            // then open-ended, which is exactly what that day means.
            if (endOfDay)
            {
                return day == DateOnly.MaxValue ? null : day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            }
            return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }
        if (time.Length > 0)
        {
            if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                throw ApiException.BadRequest($"{timeName} must be an ISO-8601 time within years 0001-9999 UTC, e.g. 2026-01-31T12:00:00Z");
            }
            return instant.UtcDateTime;
        }
        return null;
    }

    private static long? ReadLong(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString().Trim();
        if (raw.Length == 0)
        {
            return null;
        }
        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest($"{name} must be a non-negative integer");
    }

    private static bool? ReadBool(HttpRequest request, string name) => request.Query[name].ToString().Trim().ToLowerInvariant() switch
    {
        "" => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw ApiException.BadRequest($"{name} must be true or false"),
    };
}

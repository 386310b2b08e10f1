using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.Announcements;

internal static class AnnouncementRules
{
    public const int MaxTitleLength = 200;
    public const int MaxContentLength = 50_000;
    /// <summary>Unix seconds of 9999-12-31T23:59:59Z: later times do not fit a DateTime.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>Checks the body and applies it to <paramref name="a"/>; returns the message of the first problem.</summary>
    public static string? Apply(Announcement a, AnnouncementRequest req, bool creating)
    {
        var title = req.Title?.Trim();
        var content = req.Content?.Trim();
        var error = Validate.First(
            creating || title is not null ? Validate.Required(title, "title", MaxTitleLength) : null,
            creating || content is not null ? Validate.Required(content, "content", MaxContentLength) : null,
            Validate.OneOf(string.IsNullOrEmpty(req.Status) && creating ? null : req.Status, "status", AnnouncementStatuses.All, required: false),
            CheckTime(req.StartsAt, "starts_at"),
            CheckTime(req.EndsAt, "ends_at"),
            AnnouncementTargeting.Normalize(req.Targeting, out var targeting));
        if (error is not null)
        {
            return error;
        }
        var startsAt = req.StartsAt is null ? a.StartsAt : FromUnix(req.StartsAt.Value);
        var endsAt = req.EndsAt is null ? a.EndsAt : FromUnix(req.EndsAt.Value);
        if (startsAt is not null && endsAt is not null && endsAt <= startsAt)
        {
            return "ends_at must be after starts_at";
        }
        a.Title = title ?? a.Title;
        a.Content = content ?? a.Content;
        a.Status = string.IsNullOrEmpty(req.Status) ? a.Status : req.Status;
        if (creating || req.Targeting is not null)
        {
            a.Targeting = targeting.ToStorage();
        }
        a.StartsAt = startsAt;
        a.EndsAt = endsAt;
        return null;
    }

    private static string? CheckTime(long? seconds, string field) =>
        seconds is < 0 or > MaxUnixSeconds ? $"{field} must be Unix seconds between 0 and {MaxUnixSeconds} (0 clears it)" : null;

    private static DateTime? FromUnix(long seconds) =>
        seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
}

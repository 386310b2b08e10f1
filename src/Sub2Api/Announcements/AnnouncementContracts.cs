using Sub2Api.Data.Entities;

namespace Sub2Api.Announcements;

/// <summary>
/// Body of <c>POST</c> and <c>PUT /admin/announcements</c>. Times are Unix seconds; on update a missing field keeps
/// its value and <c>0</c> clears a time (on create 0 means "from now" / "never ends").
/// </summary>
internal sealed record AnnouncementRequest(
    string? Title,
    string? Content,
    string? Status,
    AnnouncementTargeting? Targeting,
    long? StartsAt,
    long? EndsAt);

/// <summary>An announcement as the admin API shows it.</summary>
internal sealed record AnnouncementDto(
    long Id,
    string Title,
    string Content,
    string Status,
    AnnouncementTargeting Targeting,
    DateTime? StartsAt,
    DateTime? EndsAt,
    long? CreatedBy,
    long? UpdatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static AnnouncementDto From(Announcement a) => new(a.Id, a.Title, a.Content, a.Status,
        AnnouncementTargeting.FromStorage(a.Targeting), a.StartsAt, a.EndsAt, a.CreatedBy, a.UpdatedBy, a.CreatedAt, a.UpdatedAt);
}

/// <summary>An announcement as its reader sees it: no status, targeting or authors; <c>read_at</c> null while unread.</summary>
internal sealed record UserAnnouncementDto(
    long Id,
    string Title,
    string Content,
    DateTime? StartsAt,
    DateTime? EndsAt,
    DateTime? ReadAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static UserAnnouncementDto From(Announcement a, DateTime? readAt) =>
        new(a.Id, a.Title, a.Content, a.StartsAt, a.EndsAt, readAt, a.CreatedAt, a.UpdatedAt);
}

/// <summary>One user's row in <c>GET /admin/announcements/{id}/read-status</c>.</summary>
internal sealed record AnnouncementReadStatusDto(long UserId, string Email, string Username, decimal Balance, bool Eligible, DateTime? ReadAt);

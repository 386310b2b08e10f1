namespace Sub2Api.Data.Entities;

/// <summary>
/// A notice shown to users. <see cref="Targeting"/> is the original's JSON
/// <c>{"any_of":[{"all_of":[{"type":"subscription","operator":"in","group_ids":[…]} | {"type":"balance","operator":"gt|gte|lt|lte|eq","value":…}]}]}</c>;
/// empty (<c>{}</c> or no <c>any_of</c>) means everyone.
/// </summary>
internal sealed class Announcement : ITimestamped
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public string Content { get; set; } = "";
    /// <summary><c>draft</c>, <c>active</c> or <c>archived</c>.</summary>
    public string Status { get; set; } = AnnouncementStatuses.Draft;
    /// <summary>Raw targeting JSON (validated on write).</summary>
    public string Targeting { get; set; } = "{}";
    public DateTime? StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public long? CreatedBy { get; set; }
    public long? UpdatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class AnnouncementRead
{
    public long Id { get; set; }
    public long AnnouncementId { get; set; }
    public long UserId { get; set; }
    public DateTime ReadAt { get; set; }
}

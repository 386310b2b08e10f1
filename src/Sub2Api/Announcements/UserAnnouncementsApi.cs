using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Announcements;

/// <summary><c>/api/v1/announcements</c>: what the caller may see now, and marking one read.</summary>
internal static class UserAnnouncementsApi
{
    public static void MapUserAnnouncements(this RouteGroupBuilder user)
    {
        user.MapGet("/announcements", ListAsync);
        user.MapPost("/announcements/{id}/read", MarkReadAsync);
    }

    /// <summary>Unread first, then newest first. <c>unread_only</c> (1/true) leaves read ones out.</summary>
    private static async Task<IResult> ListAsync(CurrentUser me, HttpRequest request, Sub2ApiDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var unreadOnly = request.Query["unread_only"].ToString() switch
        {
            "" or "0" or "false" => false,
            "1" or "true" => true,
            _ => (bool?)null,
        };
        if (unreadOnly is null)
        {
            return Api.BadRequest("unread_only must be 1, 0, true or false");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var audience = await AnnouncementAudience.LoadAsync(db, me.Id, now, ct);
        if (audience is null)
        {
            return Api.Ok(Array.Empty<UserAnnouncementDto>());
        }
        var candidates = await LiveQuery(db, now).ToListAsync(ct);
        var visible = candidates.Where(a => audience.Sees(a, now)).ToList();
        var ids = visible.Select(a => a.Id).ToList();
        var reads = await db.AnnouncementReads.AsNoTracking().Where(r => r.UserId == me.Id && ids.Contains(r.AnnouncementId))
            .ToDictionaryAsync(r => r.AnnouncementId, r => r.ReadAt, ct);
        var items = visible
            .Select(a => UserAnnouncementDto.From(a, reads.TryGetValue(a.Id, out var readAt) ? readAt : null))
            .Where(a => unreadOnly == false || a.ReadAt is null)
            .OrderBy(a => a.ReadAt is not null)
            .ThenByDescending(a => a.Id)
            .ToList();
        return Api.Ok(items);
    }

    private static IQueryable<Announcement> LiveQuery(Sub2ApiDbContext db, DateTime now) =>
        db.Announcements.AsNoTracking().Where(a => a.Status == AnnouncementStatuses.Active
            && (a.StartsAt == null || a.StartsAt <= now) && (a.EndsAt == null || a.EndsAt > now));

    /// <summary>Idempotent: the first read time is kept. An announcement the caller cannot see is a 404.</summary>
    private static async Task<IResult> MarkReadAsync(long id, CurrentUser me, Sub2ApiDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var announcement = await db.Announcements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        var audience = await AnnouncementAudience.LoadAsync(db, me.Id, now, ct);
        if (announcement is null || audience is null || !audience.Sees(announcement, now))
        {
            return Api.NotFound($"announcement {id} not found", "ANNOUNCEMENT_NOT_FOUND");
        }
        if (!await db.AnnouncementReads.AnyAsync(r => r.AnnouncementId == id && r.UserId == me.Id, ct))
        {
            db.AnnouncementReads.Add(new AnnouncementRead { AnnouncementId = id, UserId = me.Id, ReadAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A concurrent request of the same user may have inserted it first (unique announcement+user): then
                // it is simply read already; anything else is a real failure.
                db.ChangeTracker.Clear();
                if (!await db.AnnouncementReads.AnyAsync(r => r.AnnouncementId == id && r.UserId == me.Id, ct))
                {
                    throw;
                }
            }
        }
        return Api.Ok(new { message = "ok" });
    }
}

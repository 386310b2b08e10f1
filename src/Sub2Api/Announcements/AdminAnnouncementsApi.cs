using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Announcements;

/// <summary><c>/api/v1/admin/announcements</c>: CRUD plus who has read one.</summary>
internal static class AdminAnnouncementsApi
{
    private const int MaxSearchLength = 200;

    public static void MapAdminAnnouncements(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/announcements");
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/read-status", ReadStatusAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"announcement {id} not found", "ANNOUNCEMENT_NOT_FOUND");

    private static string? Search(string? search)
    {
        var term = search?.Trim();
        return string.IsNullOrEmpty(term) ? null : term.Length > MaxSearchLength ? term[..MaxSearchLength] : term;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, string? status, string? search, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (!string.IsNullOrEmpty(status) && Validate.OneOf(status, "status", AnnouncementStatuses.All) is { } error)
        {
            return Api.BadRequest(error);
        }
        var query = db.Announcements.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(a => a.Status == status);
        }
        if (Search(search) is { } term)
        {
            var lower = term.ToLowerInvariant();
            query = query.Where(a => a.Title.ToLower().Contains(lower) || a.Content.ToLower().Contains(lower));
        }
        return Api.Ok(await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).ToPageAsync(page, AnnouncementDto.From, ct));
    }

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, CancellationToken ct) =>
        await db.Announcements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { } a
            ? Api.Ok(AnnouncementDto.From(a))
            : NotFound(id);

    private static async Task<IResult> CreateAsync(AnnouncementRequest req, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        var announcement = new Announcement { Title = "", CreatedBy = me.Id, UpdatedBy = me.Id };
        if (AnnouncementRules.Apply(announcement, req, creating: true) is { } error)
        {
            return Api.BadRequest(error, "ANNOUNCEMENT_INVALID");
        }
        db.Announcements.Add(announcement);
        await db.SaveChangesAsync(ct);
        return Api.Ok(AnnouncementDto.From(announcement));
    }

    private static async Task<IResult> UpdateAsync(long id, AnnouncementRequest req, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        var announcement = await db.Announcements.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (announcement is null)
        {
            return NotFound(id);
        }
        if (AnnouncementRules.Apply(announcement, req, creating: false) is { } error)
        {
            return Api.BadRequest(error, "ANNOUNCEMENT_INVALID");
        }
        announcement.UpdatedBy = me.Id;
        await db.SaveChangesAsync(ct);
        return Api.Ok(AnnouncementDto.From(announcement));
    }

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Announcements.Where(a => a.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return NotFound(id);
        }
        await db.AnnouncementReads.Where(r => r.AnnouncementId == id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return Api.Ok(new { message = "Announcement deleted successfully" });
    }

    /// <summary>
    /// Every user (paged, by email), whether the targeting rules select them now (<c>eligible</c>) and when they read it.
    /// </summary>
    private static async Task<IResult> ReadStatusAsync(long id, HttpRequest request, string? search, Sub2ApiDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        var announcement = await db.Announcements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (announcement is null)
        {
            return NotFound(id);
        }
        var users = db.Users.AsNoTracking();
        if (Search(search) is { } term)
        {
            var lower = term.ToLowerInvariant();
            users = users.Where(u => u.Email.ToLower().Contains(lower) || u.Username.ToLower().Contains(lower));
        }
        var total = await users.LongCountAsync(ct);
        var rows = await users.OrderBy(u => u.Email).ThenBy(u => u.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(u => new { u.Id, u.Email, u.Username, u.Balance })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var reads = await db.AnnouncementReads.AsNoTracking().Where(r => r.AnnouncementId == id && ids.Contains(r.UserId))
            .ToDictionaryAsync(r => r.UserId, r => r.ReadAt, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var groups = await AnnouncementAudience.ActiveGroupsAsync(db, ids, now, ct);
        var targeting = AnnouncementTargeting.FromStorage(announcement.Targeting);
        var items = rows.Select(u => new AnnouncementReadStatusDto(u.Id, u.Email, u.Username, u.Balance,
                targeting.Matches(u.Balance, groups.TryGetValue(u.Id, out var set) ? set : new HashSet<long>()),
                reads.TryGetValue(u.Id, out var readAt) ? readAt : null))
            .ToList();
        return Api.Ok(page.Wrap(items, total));
    }
}

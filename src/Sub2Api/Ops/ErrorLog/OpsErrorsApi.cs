using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.ErrorLog;

/// <summary>
/// <c>/api/v1/admin/ops/…</c>: the error log. <c>errors</c> lists both kinds, <c>request-errors</c> what clients saw,
/// <c>upstream-errors</c> each failed upstream attempt; each has a detail route and a resolve toggle, and a request
/// error lists the upstream attempts of its request.
/// </summary>
internal static class OpsErrorsApi
{
    /// <summary>Ops lists are capped lower than the rest of the management API: their rows are wide.</summary>
    public const int MaxPageSize = 500;

    /// <summary>A request is retried on a handful of accounts at most; this only bounds a pathological one.</summary>
    private const int MaxUpstreamErrorsInDetail = 100;

    public static void MapOpsErrors(this RouteGroupBuilder admin)
    {
        var ops = admin.MapGroup("/ops");
        // No route constraint on {id}: a non-numeric id becomes a 400 envelope instead of an empty 404.
        ops.MapGet("/errors", (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            ListAsync(request, db, time, null, ct));
        ops.MapGet("/errors/{id}", (long id, Sub2ApiDbContext db, CancellationToken ct) => GetAsync(id, null, db, ct));
        ops.MapPut("/errors/{id}/resolve", (long id, OpsResolveRequest body, CurrentUser user, Sub2ApiDbContext db, TimeProvider time,
            CancellationToken ct) => ResolveAsync(id, null, body, user, db, time, ct));

        ops.MapGet("/request-errors", (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            ListAsync(request, db, time, OpsErrorKinds.Request, ct));
        ops.MapGet("/request-errors/{id}", (long id, Sub2ApiDbContext db, CancellationToken ct) => GetAsync(id, OpsErrorKinds.Request, db, ct));
        ops.MapGet("/request-errors/{id}/upstream-errors", ListUpstreamOfRequestAsync);
        ops.MapPut("/request-errors/{id}/resolve", (long id, OpsResolveRequest body, CurrentUser user, Sub2ApiDbContext db,
            TimeProvider time, CancellationToken ct) => ResolveAsync(id, OpsErrorKinds.Request, body, user, db, time, ct));

        ops.MapGet("/upstream-errors", (HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            ListAsync(request, db, time, OpsErrorKinds.Upstream, ct));
        ops.MapGet("/upstream-errors/{id}", (long id, Sub2ApiDbContext db, CancellationToken ct) => GetAsync(id, OpsErrorKinds.Upstream, db, ct));
        ops.MapPut("/upstream-errors/{id}/resolve", (long id, OpsResolveRequest body, CurrentUser user, Sub2ApiDbContext db,
            TimeProvider time, CancellationToken ct) => ResolveAsync(id, OpsErrorKinds.Upstream, body, user, db, time, ct));
    }

    private static PageRequest Page(HttpRequest request)
    {
        var page = PageRequest.From(request);
        return page with { PageSize = Math.Min(page.PageSize, MaxPageSize) };
    }

    private static IResult NotFound(long id, string? kind) =>
        Api.NotFound($"{(kind is null ? "error" : kind + " error")} {id} not found");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, TimeProvider time, string? kind,
        CancellationToken ct)
    {
        var page = Page(request);
        if (OpsErrorFilter.TryParse(request, time.GetUtcNow().UtcDateTime, kind, out var error) is not { } filter)
        {
            return Api.BadRequest(error!);
        }
        return Api.Ok(await PageAsync(db, filter.Apply(db.OpsErrorLogs.AsNoTracking()), page, ct));
    }

    private static async Task<PagedResult<OpsErrorLogDto>> PageAsync(Sub2ApiDbContext db, IQueryable<OpsErrorLog> query, PageRequest page,
        CancellationToken ct)
    {
        var total = await query.LongCountAsync(ct);
        var rows = await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var names = await NamesAsync(db, rows, ct);
        return page.Wrap(rows.Select(names.Item).ToList(), total);
    }

    private static async Task<IResult> GetAsync(long id, string? kind, Sub2ApiDbContext db, CancellationToken ct)
    {
        var row = await db.OpsErrorLogs.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && (kind == null || e.Kind == kind), ct);
        if (row is null)
        {
            return NotFound(id, kind);
        }
        var upstream = row.Kind == OpsErrorKinds.Request && row.RequestId.Length > 0
            ? await UpstreamOf(db, row).Take(MaxUpstreamErrorsInDetail).ToListAsync(ct)
            : [];
        var names = await NamesAsync(db, [row, .. upstream], ct);
        return Api.Ok(names.Detail(row, upstream.Select(names.Item).ToList()));
    }

    private static async Task<IResult> ListUpstreamOfRequestAsync(long id, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct)
    {
        var page = Page(request);
        var row = await db.OpsErrorLogs.AsNoTracking()
            .FirstOrDefaultAsync(e => e.Id == id && e.Kind == OpsErrorKinds.Request, ct);
        if (row is null)
        {
            return NotFound(id, OpsErrorKinds.Request);
        }
        return row.RequestId.Length == 0
            ? Api.Ok(page.Wrap<OpsErrorLogDto>([], 0))
            : Api.Ok(await PageAsync(db, UpstreamOf(db, row), page, ct));
    }

    /// <summary>The failed upstream attempts of a request row's request, in the order they happened.</summary>
    private static IQueryable<OpsErrorLog> UpstreamOf(Sub2ApiDbContext db, OpsErrorLog requestRow) =>
        db.OpsErrorLogs.AsNoTracking()
            .Where(e => e.Kind == OpsErrorKinds.Upstream && e.RequestId == requestRow.RequestId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id);

    private static async Task<IResult> ResolveAsync(long id, string? kind, OpsResolveRequest body, CurrentUser user, Sub2ApiDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        if (body.Resolved is not { } resolved)
        {
            return Api.BadRequest("resolved is required (true or false)");
        }
        var row = await db.OpsErrorLogs.FirstOrDefaultAsync(e => e.Id == id && (kind == null || e.Kind == kind), ct);
        if (row is null)
        {
            return NotFound(id, kind);
        }
        row.Resolved = resolved;
        row.ResolvedAt = resolved ? time.GetUtcNow().UtcDateTime : null;
        row.ResolvedByUserId = resolved ? user.Id : null;
        await db.SaveChangesAsync(ct);
        var names = await NamesAsync(db, [row], ct);
        return Api.Ok(names.Item(row));
    }

    /// <summary>
    /// The emails and names behind the rows' ids: one query per table for the whole page. Deleted users, accounts and
    /// groups still show their names — the errors they were part of stay in the log.
    /// </summary>
    private static async Task<OpsErrorNames> NamesAsync(Sub2ApiDbContext db, IReadOnlyCollection<OpsErrorLog> rows, CancellationToken ct)
    {
        var userIds = Ids(rows, e => e.UserId);
        var accountIds = Ids(rows, e => e.AccountId);
        var groupIds = Ids(rows, e => e.GroupId);
        var users = userIds.Count == 0 ? [] : await db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        var accounts = accountIds.Count == 0 ? [] : await db.Accounts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var groups = groupIds.Count == 0 ? [] : await db.Groups.IgnoreQueryFilters().AsNoTracking()
            .Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        return new OpsErrorNames(users, accounts, groups);
    }

    private static List<long> Ids(IEnumerable<OpsErrorLog> rows, Func<OpsErrorLog, long?> id) =>
        rows.Select(id).OfType<long>().Distinct().ToList();
}

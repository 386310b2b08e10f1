using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Admin.Proxies;

/// <summary><c>/api/v1/admin/proxies</c> CRUD (SPEC §2.5). Passwords are stored encrypted and shown masked.</summary>
internal static class ProxiesApi
{
    public static void MapAdminProxies(this RouteGroupBuilder group)
    {
        var proxies = group.MapGroup("/proxies");
        proxies.MapGet("", ListAsync);
        proxies.MapGet("/all", AllAsync);
        // No route constraint on {id}: a non-numeric id becomes a 400 envelope instead of an empty 404.
        proxies.MapGet("/{id}", GetAsync);
        proxies.MapPost("", CreateAsync);
        proxies.MapPut("/{id}", UpdateAsync);
        proxies.MapDelete("/{id}", DeleteAsync);
    }

    private sealed record Row(Proxy Proxy, long AccountCount);

    private static IQueryable<Row> WithCounts(Sub2ApiDbContext db, IQueryable<Proxy> proxies) =>
        proxies.Select(p => new Row(p, db.Accounts.LongCount(a => a.ProxyId == p.Id)));

    private static IResult NotFound(long id) => Api.NotFound($"proxy {id} not found");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, SecretProtector protector,
        string? protocol, string? status, string? search, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (Filter(db, protocol, status, search, out var query) is { } error)
        {
            return Api.BadRequest(error);
        }
        return Api.Ok(await WithCounts(db, query).ToPageAsync(page, r => ProxyDto.From(r.Proxy, r.AccountCount, protector), ct));
    }

    private static async Task<IResult> AllAsync(Sub2ApiDbContext db, SecretProtector protector, string? protocol, string? status,
        CancellationToken ct)
    {
        if (Filter(db, protocol, status, null, out var query) is { } error)
        {
            return Api.BadRequest(error);
        }
        var rows = await WithCounts(db, query).ToListAsync(ct);
        return Api.Ok(rows.Select(r => ProxyDto.From(r.Proxy, r.AccountCount, protector)).ToList());
    }

    private static string? Filter(Sub2ApiDbContext db, string? protocol, string? status, string? search, out IQueryable<Proxy> query)
    {
        query = db.Proxies.AsNoTracking();
        var error = Validate.First(
            Validate.OneOf(NullIfEmpty(protocol), "protocol", ProxyProtocols.All, required: false),
            ProxyRules.CheckStatus(NullIfEmpty(status)));
        if (!string.IsNullOrEmpty(protocol))
        {
            query = query.Where(p => p.Protocol == protocol);
        }
        if (!string.IsNullOrEmpty(status))
        {
            var stored = ProxyRules.NormalizeStatus(status);
            query = query.Where(p => p.Status == stored);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(p => p.Name.ToLower().Contains(term) || p.Host.ToLower().Contains(term));
        }
        query = query.OrderByDescending(p => p.Id);
        return error;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, SecretProtector protector, CancellationToken ct) =>
        await LoadAsync(db, protector, id, ct) is { } dto ? Api.Ok(dto) : NotFound(id);

    private static async Task<ProxyDto?> LoadAsync(Sub2ApiDbContext db, SecretProtector protector, long id, CancellationToken ct) =>
        await WithCounts(db, db.Proxies.AsNoTracking().Where(p => p.Id == id)).FirstOrDefaultAsync(ct) is { } row
            ? ProxyDto.From(row.Proxy, row.AccountCount, protector)
            : null;

    private static async Task<IResult> CreateAsync(ProxyRequest req, Sub2ApiDbContext db, SecretProtector protector, CancellationToken ct)
    {
        if (ProxyRules.CheckFields(req, creating: true) is { } error)
        {
            return Api.BadRequest(error);
        }
        var proxy = new Proxy { Name = req.Name!.Trim(), Protocol = req.Protocol!, Host = req.Host!.Trim() };
        ProxyRules.Apply(proxy, req, protector);
        db.Proxies.Add(proxy);
        await db.SaveChangesAsync(ct);
        return Api.Ok(ProxyDto.From(proxy, 0, protector));
    }

    private static async Task<IResult> UpdateAsync(long id, ProxyRequest req, Sub2ApiDbContext db, SecretProtector protector,
        CancellationToken ct)
    {
        var proxy = await db.Proxies.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (proxy is null)
        {
            return NotFound(id);
        }
        if (ProxyRules.CheckFields(req, creating: false) is { } error)
        {
            return Api.BadRequest(error);
        }
        ProxyRules.Apply(proxy, req, protector);
        await db.SaveChangesAsync(ct);
        return Api.Ok((await LoadAsync(db, protector, id, ct))!);
    }

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var proxy = await db.Proxies.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (proxy is null)
        {
            return NotFound(id);
        }
        // Deleting it would silently send those accounts' traffic direct, from the server's own IP.
        var users = await db.Accounts.CountAsync(a => a.ProxyId == id, ct);
        if (users > 0)
        {
            return Api.Conflict($"proxy is still used by {users} account{(users == 1 ? "" : "s")}; move them to another proxy first", "PROXY_IN_USE");
        }
        proxy.DeletedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "proxy deleted" });
    }
}

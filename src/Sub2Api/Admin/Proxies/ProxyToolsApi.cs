using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Admin.Proxies;

/// <summary>One line of <c>POST /proxies/batch</c> (the original's shape: no name; it is derived from host:port).</summary>
internal sealed record BatchProxyItem(string? Protocol, string? Host, int? Port, string? Username, string? Password);

internal sealed record BatchCreateProxiesRequest(List<BatchProxyItem?>? Proxies);

internal sealed record BatchDeleteProxiesRequest(List<long>? Ids);

internal sealed record ProxyBatchDeleteSkipped(long Id, string Reason);

/// <summary>An account that goes out through a proxy: who it is, never its credentials.</summary>
internal sealed record ProxyAccountSummary(long Id, string Name, string Platform, string Type, string? Notes);

/// <summary>
/// The proxy tools of the admin console: test through a proxy, its accounts and usage, batch create and delete.
/// </summary>
internal static class ProxyToolsApi
{
    public const int MaxBatch = 1000;

    public static void MapAdminProxyTools(this RouteGroupBuilder admin)
    {
        var proxies = admin.MapGroup("/proxies");
        proxies.MapPost("/batch", BatchCreateAsync);
        proxies.MapPost("/batch-delete", BatchDeleteAsync);
        proxies.MapPost("/{id}/test", TestAsync);
        proxies.MapGet("/{id}/stats", StatsAsync);
        proxies.MapGet("/{id}/accounts", AccountsAsync);
    }

    private static bool TryParseId(string id, out long value) => long.TryParse(id, out value) && value > 0;

    private static IResult BadId() => Api.BadRequest("Invalid proxy ID");

    private static async Task<IResult> TestAsync(string id, Sub2ApiDbContext db, ProxyTester tester, CancellationToken ct)
    {
        if (!TryParseId(id, out var proxyId))
        {
            return BadId();
        }
        var proxy = await db.Proxies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == proxyId, ct);
        return proxy is null ? Api.NotFound($"proxy {proxyId} not found") : Api.Ok(await tester.TestAsync(proxy, ct));
    }

    /// <summary>
    /// The original's stats shape. Requests are counted over the last 7 days for the accounts on the proxy now:
    /// served requests from the usage log, failed upstream attempts from the ops error log.
    /// </summary>
    private static async Task<IResult> StatsAsync(string id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!TryParseId(id, out var proxyId))
        {
            return BadId();
        }
        if (!await db.Proxies.AnyAsync(p => p.Id == proxyId, ct))
        {
            return Api.NotFound($"proxy {proxyId} not found");
        }
        var accounts = db.Accounts.Where(a => a.ProxyId == proxyId);
        var total = await accounts.LongCountAsync(ct);
        var active = await accounts.LongCountAsync(a => a.Status == Statuses.Active, ct);
        var since = time.GetUtcNow().UtcDateTime.AddDays(-7);
        var accountIds = accounts.Select(a => a.Id);
        var served = db.UsageLogs.Where(u => u.CreatedAt >= since && accountIds.Contains(u.AccountId));
        var servedCount = await served.LongCountAsync(ct);
        var averageLatency = await served.Where(u => u.DurationMs != null).Select(u => (double?)u.DurationMs).AverageAsync(ct) ?? 0;
        var failed = await db.OpsErrorLogs.LongCountAsync(e => e.Kind == OpsErrorKinds.Upstream && e.CreatedAt >= since
            && e.AccountId != null && accountIds.Contains(e.AccountId.Value), ct);
        var requests = servedCount + failed;
        return Api.Ok(new
        {
            total_accounts = total,
            active_accounts = active,
            total_requests = requests,
            success_rate = requests == 0 ? 100.0 : Math.Round(100.0 * servedCount / requests, 2),
            average_latency = Math.Round(averageLatency, 1),
        });
    }

    private static async Task<IResult> AccountsAsync(string id, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (!TryParseId(id, out var proxyId))
        {
            return BadId();
        }
        if (!await db.Proxies.AnyAsync(p => p.Id == proxyId, ct))
        {
            return Api.NotFound($"proxy {proxyId} not found");
        }
        var rows = await db.Accounts.AsNoTracking().Where(a => a.ProxyId == proxyId).OrderBy(a => a.Id)
            .Select(a => new ProxyAccountSummary(a.Id, a.Name, a.Platform, a.Type, a.Notes == "" ? null : a.Notes))
            .ToListAsync(ct);
        return Api.Ok(rows);
    }

    /// <summary>
    /// Creates each proxy unless one with the same host, port, username and password exists already (or came
    /// earlier in the same batch): those are counted as skipped. A malformed item refuses the whole batch.
    /// </summary>
    private static async Task<IResult> BatchCreateAsync(BatchCreateProxiesRequest req, Sub2ApiDbContext db, SecretProtector protector,
        CancellationToken ct)
    {
        if (req.Proxies is not { Count: > 0 } items)
        {
            return Api.BadRequest("proxies is required and must not be empty");
        }
        if (items.Count > MaxBatch)
        {
            return Api.BadRequest($"at most {MaxBatch} proxies per batch");
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (CheckItem(items[i]) is { } error)
            {
                return Api.BadRequest($"proxies[{i}]: {error}");
            }
        }
        var known = await ProxyIdentity.LoadAsync(db, protector, ct);
        int created = 0, skipped = 0;
        foreach (var item in items)
        {
            var host = item!.Host!.Trim();
            var username = item.Username?.Trim() ?? "";
            var password = item.Password?.Trim() ?? "";
            if (!known.Add(ProxyIdentity.Key(host, item.Port!.Value, username, password)))
            {
                skipped++;
                continue;
            }
            var proxy = new Proxy { Name = $"{host}:{item.Port}", Protocol = item.Protocol!, Host = host, Port = item.Port.Value };
            ProxyRules.Apply(proxy, new ProxyRequest(null, null, null, null, username, password, null), protector);
            db.Proxies.Add(proxy);
            created++;
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { created, skipped });
    }

    private static string? CheckItem(BatchProxyItem? item) => item is null
        ? "must be an object"
        : ProxyRules.CheckFields(new ProxyRequest("batch", item.Protocol, item.Host, item.Port, item.Username, item.Password, null), creating: true);

    /// <summary>The original's rule: a proxy still used by accounts is skipped with a reason, the rest are deleted.</summary>
    private static async Task<IResult> BatchDeleteAsync(BatchDeleteProxiesRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (req.Ids is not { Count: > 0 } ids)
        {
            return Api.BadRequest("ids is required and must not be empty");
        }
        if (ids.Count > MaxBatch)
        {
            return Api.BadRequest($"at most {MaxBatch} ids per batch");
        }
        var distinct = ids.Distinct().ToList();
        var proxies = await db.Proxies.Where(p => distinct.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var inUse = await db.Accounts.Where(a => a.ProxyId != null && distinct.Contains(a.ProxyId.Value))
            .GroupBy(a => a.ProxyId!.Value).Select(g => new { Id = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Id, g => g.Count, ct);
        var deleted = new List<long>();
        var skipped = new List<ProxyBatchDeleteSkipped>();
        var now = DateTime.UtcNow;
        foreach (var id in distinct)
        {
            if (!proxies.TryGetValue(id, out var proxy))
            {
                skipped.Add(new ProxyBatchDeleteSkipped(id, "proxy not found"));
            }
            else if (inUse.TryGetValue(id, out var users))
            {
                skipped.Add(new ProxyBatchDeleteSkipped(id, $"proxy is in use by {users} account{(users == 1 ? "" : "s")}"));
            }
            else
            {
                proxy.DeletedAt = now;
                deleted.Add(id);
            }
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { deleted_ids = deleted, skipped });
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Admin.Accounts;

/// <summary>
/// Completes listed accounts with what the admin page shows beside them: the live slot count, the groups by name and
/// the proxy. One query for all the page's groups and one for its proxies, whatever the page size.
/// </summary>
internal static class AccountReferences
{
    public static async Task<IReadOnlyList<AccountDto>> CompleteAsync(IReadOnlyList<AccountDto> accounts, Sub2ApiDbContext db,
        IConcurrencySlots slots, CancellationToken ct)
    {
        if (accounts.Count == 0)
        {
            return accounts;
        }
        var withLoads = await AccountConcurrency.WithCurrentAsync(accounts, slots);
        var groupIds = withLoads.SelectMany(a => a.GroupIds).Distinct().ToList();
        var proxyIds = withLoads.Where(a => a.ProxyId is not null).Select(a => a.ProxyId!.Value).Distinct().ToList();
        var groups = groupIds.Count == 0
            ? []
            : await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id))
                .Select(g => new AccountGroupRef(g.Id, g.Name, g.Platform)).ToDictionaryAsync(g => g.Id, ct);
        var proxies = proxyIds.Count == 0
            ? []
            : await db.Proxies.AsNoTracking().Where(p => proxyIds.Contains(p.Id))
                .Select(p => new AccountProxyRef(p.Id, p.Name, p.Protocol, p.Host, p.Port)).ToDictionaryAsync(p => p.Id, ct);
        return [.. withLoads.Select(a => a with
        {
            Groups = [.. a.GroupIds.Where(groups.ContainsKey).Select(id => groups[id])],
            Proxy = a.ProxyId is { } proxyId ? proxies.GetValueOrDefault(proxyId) : null,
        })];
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Usage;

internal sealed record UsageUserRef(long Id, string Email, string Username);

internal sealed record UsageNamedRef(long Id, string Name);

internal sealed record UsageAccountRef(long Id, string Name, string Platform);

/// <summary>
/// A usage row as the admin usage page shows it: the row plus who and what it names (<c>user</c>, <c>api_key</c>,
/// <c>account</c>, <c>group</c>), as the original's admin app reads them. A reference is null when its row no
/// longer exists; soft-deleted users, keys, accounts and groups still show their names, since the row is history.
/// </summary>
internal sealed record AdminUsageLogDto : UsageLogDto
{
    private AdminUsageLogDto(UsageLogDto row) : base(row)
    {
    }

    public UsageUserRef? User { get; init; }
    public UsageNamedRef? ApiKey { get; init; }
    public UsageAccountRef? Account { get; init; }
    public UsageNamedRef? Group { get; init; }

    /// <summary>One query per referenced table, for the ids on this page only.</summary>
    public static async Task<List<AdminUsageLogDto>> FromAsync(IReadOnlyList<UsageLog> rows, Sub2ApiDbContext db, CancellationToken ct)
    {
        var userIds = rows.Select(r => r.UserId).Distinct().ToList();
        var keyIds = rows.Select(r => r.ApiKeyId).Distinct().ToList();
        var accountIds = rows.Select(r => r.AccountId).Distinct().ToList();
        var groupIds = rows.Where(r => r.GroupId is not null).Select(r => r.GroupId!.Value).Distinct().ToList();

        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new UsageUserRef(u.Id, u.Email, u.Username), ct);
        var keys = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().Where(k => keyIds.Contains(k.Id))
            .ToDictionaryAsync(k => k.Id, k => new UsageNamedRef(k.Id, k.Name), ct);
        var accounts = await db.Accounts.IgnoreQueryFilters().AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new UsageAccountRef(a.Id, a.Name, a.Platform), ct);
        var groups = await db.Groups.IgnoreQueryFilters().AsNoTracking().Where(g => groupIds.Contains(g.Id))
            .ToDictionaryAsync(g => g.Id, g => new UsageNamedRef(g.Id, g.Name), ct);

        return rows.Select(r => new AdminUsageLogDto(UsageLogDto.From(r))
        {
            User = users.GetValueOrDefault(r.UserId),
            ApiKey = keys.GetValueOrDefault(r.ApiKeyId),
            Account = accounts.GetValueOrDefault(r.AccountId),
            Group = r.GroupId is { } groupId ? groups.GetValueOrDefault(groupId) : null,
        }).ToList();
    }
}

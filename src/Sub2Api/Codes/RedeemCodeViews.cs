using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Codes;

/// <summary>Turns code rows into DTOs with their user and group looked up in two queries (not one per row).</summary>
internal static class RedeemCodeViews
{
    public static async Task<List<AdminRedeemCodeDto>> AdminAsync(Sub2ApiDbContext db, IReadOnlyList<RedeemCode> rows,
        CancellationToken ct)
    {
        var (users, groups) = await LookupAsync(db, rows, ct);
        return rows.Select(r => new AdminRedeemCodeDto(r.Id, r.Code, r.Type, r.Value, r.Status, r.UsedBy, r.UsedAt, r.Notes,
            r.CreatedAt, r.GroupId, r.ValidityDays,
            r.UsedBy is { } u && users.TryGetValue(u, out var user) ? user : null,
            r.GroupId is { } g && groups.TryGetValue(g, out var group) ? group : null)).ToList();
    }

    public static async Task<List<UserRedeemCodeDto>> UserAsync(Sub2ApiDbContext db, IReadOnlyList<RedeemCode> rows,
        CancellationToken ct)
    {
        var (_, groups) = await LookupAsync(db, rows, ct);
        return rows.Select(r => ForUser(r, r.GroupId is { } g && groups.TryGetValue(g, out var group) ? group : null)).ToList();
    }

    public static UserRedeemCodeDto ForUser(RedeemCode r, CodeGroupDto? group) =>
        new(r.Id, r.Code, r.Type, r.Value, r.Status, r.UsedBy, r.UsedAt, r.CreatedAt, r.GroupId, r.ValidityDays, group);

    private static async Task<(Dictionary<long, CodeUserDto> Users, Dictionary<long, CodeGroupDto> Groups)> LookupAsync(
        Sub2ApiDbContext db, IReadOnlyList<RedeemCode> rows, CancellationToken ct)
    {
        var userIds = rows.Where(r => r.UsedBy is not null).Select(r => r.UsedBy!.Value).Distinct().ToList();
        var groupIds = rows.Where(r => r.GroupId is not null).Select(r => r.GroupId!.Value).Distinct().ToList();
        // Deleted users and groups still show: a used code keeps saying who used it and what it granted.
        var users = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().IgnoreQueryFilters()
            .Where(u => userIds.Contains(u.Id)).Select(u => new CodeUserDto(u.Id, u.Email, u.Username)).ToDictionaryAsync(u => u.Id, ct);
        var groups = groupIds.Count == 0 ? [] : (await db.Groups.AsNoTracking().IgnoreQueryFilters()
            .Where(g => groupIds.Contains(g.Id)).ToListAsync(ct)).ToDictionary(g => g.Id, CodeGroupDto.From);
        return (users, groups);
    }
}

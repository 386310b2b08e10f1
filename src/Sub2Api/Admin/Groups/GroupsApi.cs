using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Sub2Api.Admin.Groups;

/// <summary><c>/api/v1/admin/groups</c>: CRUD, the unpaginated list and bulk sort order (SPEC §2.5).</summary>
internal static class GroupsApi
{
    public static void MapAdminGroups(this RouteGroupBuilder group)
    {
        var groups = group.MapGroup("/groups");
        groups.MapGet("", ListAsync);
        groups.MapGet("/all", AllAsync);
        groups.MapPut("/sort-order", SortOrderAsync);
        // No route constraint on {id}: a non-numeric id becomes a 400 envelope instead of an empty 404.
        groups.MapGet("/{id}", GetAsync);
        groups.MapPost("", CreateAsync);
        groups.MapPut("/{id}", UpdateAsync);
        groups.MapDelete("/{id}", DeleteAsync);
    }

    private sealed record Row(Group Group, long AccountCount);

    private static IQueryable<Row> WithCounts(Sub2ApiDbContext db, IQueryable<Group> groups) =>
        groups.Select(g => new Row(g, db.AccountGroups.LongCount(ag => ag.GroupId == g.Id && db.Accounts.Any(a => a.Id == ag.AccountId))));

    private static IResult NotFound(long id) => Api.NotFound($"group {id} not found");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, string? platform, string? status,
        string? search, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (Filter(db, platform, status, search, out var query) is { } error)
        {
            return Api.BadRequest(error);
        }
        return Api.Ok(await WithCounts(db, query).ToPageAsync(page, r => GroupDto.From(r.Group, r.AccountCount), ct));
    }

    private static async Task<IResult> AllAsync(Sub2ApiDbContext db, string? platform, string? status, CancellationToken ct)
    {
        if (Filter(db, platform, status, null, out var query) is { } error)
        {
            return Api.BadRequest(error);
        }
        var rows = await WithCounts(db, query).ToListAsync(ct);
        return Api.Ok(rows.Select(r => GroupDto.From(r.Group, r.AccountCount)).ToList());
    }

    private static string? Filter(Sub2ApiDbContext db, string? platform, string? status, string? search, out IQueryable<Group> query)
    {
        query = db.Groups.AsNoTracking();
        var error = Validate.First(
            Validate.OneOf(NullIfEmpty(platform), "platform", Platforms.All, required: false),
            Validate.OneOf(NullIfEmpty(status), "status", GroupRules.GroupStatuses, required: false));
        if (!string.IsNullOrEmpty(platform))
        {
            query = query.Where(g => g.Platform == platform);
        }
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(g => g.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(g => g.Name.ToLower().Contains(term));
        }
        query = query.OrderBy(g => g.SortOrder).ThenBy(g => g.Id);
        return error;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, CancellationToken ct) =>
        await LoadAsync(db, id, ct) is { } dto ? Api.Ok(dto) : NotFound(id);

    private static async Task<GroupDto?> LoadAsync(Sub2ApiDbContext db, long id, CancellationToken ct) =>
        await WithCounts(db, db.Groups.AsNoTracking().Where(g => g.Id == id)).FirstOrDefaultAsync(ct) is { } row
            ? GroupDto.From(row.Group, row.AccountCount)
            : null;

    private static async Task<IResult> CreateAsync(GroupRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var error = GroupRules.CheckFields(req, creating: true) ?? await GroupRules.CheckReferencesAsync(db, null, req, ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var group = new Group { Name = req.Name!.Trim() };
        GroupRules.Apply(group, req, _ => false);
        db.Groups.Add(group);
        return await db.TrySaveUniqueAsync(ct) ? Api.Ok(GroupDto.From(group, 0)) : DuplicateName(group.Name);
    }

    private static async Task<IResult> UpdateAsync(long id, JsonElement body, Sub2ApiDbContext db,
        IOptions<HttpJsonOptions> json, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Api.BadRequest("request body must be a JSON object");
        }
        // Bound by hand so an explicit null ("clear this limit") can be told apart from a missing field.
        var req = body.Deserialize<GroupRequest>(json.Value.SerializerOptions)!;
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id, ct);
        if (group is null)
        {
            return NotFound(id);
        }
        var error = GroupRules.CheckFields(req, creating: false) ?? await GroupRules.CheckReferencesAsync(db, id, req, ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        GroupRules.Apply(group, req, field => body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Null);
        if (!await db.TrySaveUniqueAsync(ct))
        {
            return DuplicateName(group.Name);
        }
        return Api.Ok((await LoadAsync(db, id, ct))!);
    }

    private static IResult DuplicateName(string name) => Api.Conflict($"a group named '{name}' already exists", "GROUP_EXISTS");

    /// <summary>
    /// Soft-deletes the group and detaches everything bound to it, so nothing keeps routing to a group that no
    /// longer shows up anywhere. One tracked save: atomic, and caches keyed on saved entities see the change.
    /// </summary>
    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id, ct);
        if (group is null)
        {
            return NotFound(id);
        }
        db.AccountGroups.RemoveRange(await db.AccountGroups.Where(ag => ag.GroupId == id).ToListAsync(ct));
        db.UserAllowedGroups.RemoveRange(await db.UserAllowedGroups.Where(x => x.GroupId == id).ToListAsync(ct));
        db.UserGroupRateMultipliers.RemoveRange(await db.UserGroupRateMultipliers.Where(x => x.GroupId == id).ToListAsync(ct));
        foreach (var key in await db.ApiKeys.IgnoreQueryFilters().Where(k => k.GroupId == id).ToListAsync(ct))
        {
            key.GroupId = null;
        }
        foreach (var referrer in await db.Groups.Where(g => g.FallbackGroupId == id || g.FallbackGroupIdOnInvalidRequest == id).ToListAsync(ct))
        {
            referrer.FallbackGroupId = referrer.FallbackGroupId == id ? null : referrer.FallbackGroupId;
            referrer.FallbackGroupIdOnInvalidRequest = referrer.FallbackGroupIdOnInvalidRequest == id ? null : referrer.FallbackGroupIdOnInvalidRequest;
        }
        group.DeletedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "group deleted" });
    }

    private static async Task<IResult> SortOrderAsync(JsonElement body, Sub2ApiDbContext db, IOptions<HttpJsonOptions> json,
        CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var updates = body.ValueKind switch
        {
            JsonValueKind.Array => body.Deserialize<List<SortOrderUpdate?>>(options),
            JsonValueKind.Object => body.Deserialize<SortOrderRequest>(options)?.Updates,
            _ => null,
        };
        if (updates is not { Count: > 0 })
        {
            return Api.BadRequest("updates is required: a non-empty array of {id, sort_order}");
        }
        for (var i = 0; i < updates.Count; i++)
        {
            if (updates[i]?.Id is not > 0)
            {
                return Api.BadRequest($"updates[{i}].id is required");
            }
            if (updates[i]!.SortOrder is null)
            {
                return Api.BadRequest($"updates[{i}].sort_order is required");
            }
        }
        var ids = updates.Select(u => u!.Id!.Value).ToList();
        if (ids.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return Api.BadRequest($"updates: group {duplicate.Key} appears more than once");
        }
        var groups = await db.Groups.Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
        if (ids.FirstOrDefault(i => !groups.ContainsKey(i)) is var missing and > 0)
        {
            return Api.BadRequest($"updates: group {missing} does not exist");
        }
        foreach (var update in updates)
        {
            groups[update!.Id!.Value].SortOrder = update.SortOrder!.Value;
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "sort order updated", updated = groups.Count });
    }
}

using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserAttributes;

/// <summary>
/// <c>/api/v1/admin/user-attributes</c> (custom profile fields the admin defines) and
/// <c>/api/v1/admin/users/{id}/attributes</c> (one user's values).
/// </summary>
internal static class AdminUserAttributesApi
{
    private const int MaxBatchUsers = 1000;
    private const int MaxReorderIds = 1000;

    public static void MapAdminUserAttributes(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/user-attributes");
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/reorder", ReorderAsync);
        group.MapPost("/batch", BatchAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        admin.MapGet("/users/{id}/attributes", GetValuesAsync);
        admin.MapPut("/users/{id}/attributes", UpdateValuesAsync);
    }

    private static IResult NotFound(long id) =>
        Api.NotFound($"attribute definition {id} not found", "ATTRIBUTE_DEFINITION_NOT_FOUND");

    private static IResult UserNotFound(long id) => Api.NotFound($"user {id} not found", "USER_NOT_FOUND");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, CancellationToken ct)
    {
        var enabled = request.Query["enabled"].ToString();
        if (enabled is not ("" or "true" or "false"))
        {
            return Api.BadRequest("enabled must be true or false");
        }
        var query = db.UserAttributeDefinitions.AsNoTracking();
        if (enabled == "true")
        {
            query = query.Where(d => d.Enabled);
        }
        var rows = await query.OrderBy(d => d.DisplayOrder).ThenBy(d => d.Id).ToListAsync(ct);
        return Api.Ok(rows.Select(UserAttributeDefinitionDto.From).ToList());
    }

    private static async Task<IResult> CreateAsync(UserAttributeDefinitionRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var key = req.Key?.Trim();
        if (UserAttributeRules.CheckKey(key) is { } keyError)
        {
            return Api.BadRequest(keyError);
        }
        var definition = new UserAttributeDefinition { Key = key!, Name = "" };
        if (UserAttributeRules.Apply(definition, req, creating: true) is { } error)
        {
            return Api.BadRequest(error, "ATTRIBUTE_VALIDATION_FAILED");
        }
        if (await db.UserAttributeDefinitions.AnyAsync(d => d.Key == key, ct))
        {
            return Api.Conflict($"attribute key \"{key}\" already exists", "ATTRIBUTE_KEY_EXISTS");
        }
        definition.DisplayOrder = (await db.UserAttributeDefinitions.MaxAsync(d => (int?)d.DisplayOrder, ct) ?? -1) + 1;
        db.UserAttributeDefinitions.Add(definition);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two admins created the same key at once; the unique index kept one.
            db.ChangeTracker.Clear();
            if (await db.UserAttributeDefinitions.AnyAsync(d => d.Key == key, ct))
            {
                return Api.Conflict($"attribute key \"{key}\" already exists", "ATTRIBUTE_KEY_EXISTS");
            }
            throw;
        }
        return Api.Ok(UserAttributeDefinitionDto.From(definition));
    }

    private static async Task<IResult> UpdateAsync(long id, UserAttributeDefinitionRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var definition = await db.UserAttributeDefinitions.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (definition is null)
        {
            return NotFound(id);
        }
        if (req.Key is not null && req.Key.Trim() != definition.Key)
        {
            return Api.BadRequest("key cannot be changed; create a new attribute instead");
        }
        if (UserAttributeRules.Apply(definition, req, creating: false) is { } error)
        {
            return Api.BadRequest(error, "ATTRIBUTE_VALIDATION_FAILED");
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(UserAttributeDefinitionDto.From(definition));
    }

    /// <summary>Soft-deletes the definition (its key becomes free again) and removes every user's value for it.</summary>
    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var definition = await db.UserAttributeDefinitions.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (definition is null)
        {
            return NotFound(id);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.UserAttributeValues.Where(v => v.AttributeId == id).ExecuteDeleteAsync(ct);
        definition.DeletedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Api.Ok(new { message = "Attribute definition deleted successfully" });
    }

    /// <summary>Position in <c>ids</c> becomes the display order; definitions not listed keep theirs.</summary>
    private static async Task<IResult> ReorderAsync(ReorderUserAttributesRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (req.Ids is not { } ids)
        {
            return Api.BadRequest("ids is required");
        }
        if (ids.Count > MaxReorderIds)
        {
            return Api.BadRequest($"ids must have at most {MaxReorderIds} entries");
        }
        if (ids.Distinct().Count() != ids.Count)
        {
            return Api.BadRequest("ids must not repeat an id");
        }
        var definitions = await db.UserAttributeDefinitions.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        foreach (var missing in ids.Where(id => !definitions.ContainsKey(id)).Take(1))
        {
            return NotFound(missing);
        }
        for (var i = 0; i < ids.Count; i++)
        {
            definitions[ids[i]].DisplayOrder = i;
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "Reorder successful" });
    }

    /// <summary><c>{"attributes":{"&lt;user id&gt;":{"&lt;attribute id&gt;":"value"}}}</c>; users without values are left out.</summary>
    private static async Task<IResult> BatchAsync(BatchUserAttributesRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (req.UserIds is not { } userIds)
        {
            return Api.BadRequest("user_ids is required");
        }
        if (userIds.Count > MaxBatchUsers)
        {
            return Api.BadRequest($"user_ids must have at most {MaxBatchUsers} entries");
        }
        var ids = userIds.Distinct().ToList();
        var values = await LiveValues(db).Where(v => ids.Contains(v.UserId)).ToListAsync(ct);
        var attributes = values.GroupBy(v => v.UserId).ToDictionary(
            g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
            g => g.ToDictionary(v => v.AttributeId.ToString(System.Globalization.CultureInfo.InvariantCulture), v => v.Value));
        return Api.Ok(new { attributes });
    }

    /// <summary>Values whose definition still exists (deleting a definition removes its values, this also covers a race).</summary>
    private static IQueryable<UserAttributeValue> LiveValues(Sub2ApiDbContext db) =>
        db.UserAttributeValues.AsNoTracking().Where(v => db.UserAttributeDefinitions.Any(d => d.Id == v.AttributeId));

    private static async Task<IResult> GetValuesAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return UserNotFound(id);
        }
        return Api.Ok(await ValuesOfAsync(db, id, ct));
    }

    private static async Task<List<UserAttributeValueDto>> ValuesOfAsync(Sub2ApiDbContext db, long userId, CancellationToken ct) =>
        (await LiveValues(db).Where(v => v.UserId == userId).OrderBy(v => v.AttributeId).ToListAsync(ct))
            .Select(UserAttributeValueDto.From).ToList();

    /// <summary>
    /// Writes the listed values (enabled attributes only, each checked against its type and rules); an empty value
    /// removes it. Afterwards every enabled required attribute must have a value.
    /// </summary>
    private static async Task<IResult> UpdateValuesAsync(long id, UpdateUserAttributeValuesRequest req, Sub2ApiDbContext db,
        CancellationToken ct)
    {
        if (req.Values is not { } values)
        {
            return Api.BadRequest("values is required");
        }
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return UserNotFound(id);
        }
        var definitions = await db.UserAttributeDefinitions.AsNoTracking().Where(d => d.Enabled).ToListAsync(ct);
        var existing = await db.UserAttributeValues.Where(v => v.UserId == id).ToDictionaryAsync(v => v.AttributeId, ct);
        var changes = new Dictionary<long, string?>();
        foreach (var (reference, raw) in values)
        {
            var definition = long.TryParse(reference, out var attributeId)
                ? definitions.FirstOrDefault(d => d.Id == attributeId)
                : definitions.FirstOrDefault(d => d.Key == reference);
            if (definition is null)
            {
                return Api.BadRequest($"attribute {reference} does not exist or is disabled", "ATTRIBUTE_DEFINITION_NOT_FOUND");
            }
            if (UserAttributeRules.NormalizeValue(definition, raw, out var stored) is { } error)
            {
                return Api.BadRequest(error, "ATTRIBUTE_VALIDATION_FAILED");
            }
            changes[definition.Id] = stored;
        }
        var missing = definitions.FirstOrDefault(d => d.Required
            && (changes.TryGetValue(d.Id, out var changed) ? changed is null : !existing.ContainsKey(d.Id)));
        if (missing is not null)
        {
            return Api.BadRequest($"{missing.Name} is required", "ATTRIBUTE_VALIDATION_FAILED");
        }
        foreach (var (attributeId, stored) in changes)
        {
            existing.TryGetValue(attributeId, out var row);
            if (stored is null)
            {
                if (row is not null)
                {
                    db.UserAttributeValues.Remove(row);
                }
            }
            else if (row is null)
            {
                db.UserAttributeValues.Add(new UserAttributeValue { UserId = id, AttributeId = attributeId, Value = stored });
            }
            else
            {
                row.Value = stored;
            }
        }
        await db.SaveChangesAsync(ct);
        return Api.Ok(await ValuesOfAsync(db, id, ct));
    }
}

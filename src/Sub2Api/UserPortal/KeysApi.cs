using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Auth.Challenges;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.UserPortal;

/// <summary><c>/keys</c>: the caller's own gateway API keys (SPEC §2.4). Other users' keys are a 404.</summary>
internal static class KeysApi
{
    public static void MapKeysApi(this RouteGroupBuilder group)
    {
        var keys = group.MapGroup("/keys");
        keys.MapGet("", ListAsync);
        keys.MapGet("/{id}", GetAsync);
        keys.MapPost("", CreateAsync);
        keys.MapPut("/{id}", UpdateAsync);
        keys.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(CurrentUser me, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        var query = db.ApiKeys.AsNoTracking().Include(k => k.Group).Where(k => k.UserId == me.Id);
        if (request.Query["status"].ToString().Trim() is { Length: > 0 } status)
        {
            status = status == Statuses.Inactive ? Statuses.Disabled : status;
            query = query.Where(k => k.Status == status);
        }
        if (request.Query["search"].ToString().Trim() is { Length: > 0 } search)
        {
            query = query.Where(k => k.Name.Contains(search));
        }
        var ordered = query.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id);
        return Api.Ok(await ordered.ToPageAsync(page, k => ApiKeyDto.From(k), ct));
    }

    private static async Task<IResult> GetAsync(long id, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking().Include(k => k.Group).FirstOrDefaultAsync(k => k.Id == id && k.UserId == me.Id, ct);
        return key is null ? KeyNotFound() : Api.Ok(ApiKeyDto.From(key));
    }

    private static async Task<IResult> CreateAsync(CreateKeyRequest req, CurrentUser me, Sub2ApiDbContext db, ApiKeys apiKeys,
        TimeProvider time, CancellationToken ct)
    {
        // An empty custom_key is what a form sends when the user did not ask for one.
        var customKey = string.IsNullOrEmpty(req.CustomKey) ? null : req.CustomKey;
        var now = time.GetUtcNow().UtcDateTime;
        if (customKey is not null && await FailureBudget.CustomKey.RefuseWhenExhaustedAsync(db, me.Id, now, ct) is { } exhausted)
        {
            return exhausted;
        }
        if (customKey is not null && ApiKeys.ValidateCustom(customKey) is { } customError)
        {
            await FailureBudget.CustomKey.RecordFailureAsync(db, me.Id, now, ct);
            return Api.BadRequest(customError);
        }
        var error = Validate.First(
            Validate.Required(req.Name, "name", KeyRules.MaxNameLength),
            KeyRules.NormalizeIpList(req.IpWhitelist, "ip_whitelist", out var whitelist),
            KeyRules.NormalizeIpList(req.IpBlacklist, "ip_blacklist", out var blacklist),
            MoneyBounds.Amount(req.Quota, "quota"),
            Validate.Range(req.ExpiresInDays, "expires_in_days", 1, KeyRules.MaxExpiresInDays));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        Group? group = null;
        if (req.GroupId is { } groupId)
        {
            (group, var denied) = await GroupAccess.CheckAsync(db, me.Id, groupId, now, ct);
            if (denied is not null)
            {
                return denied;
            }
        }

        var plaintext = customKey ?? ApiKeys.Generate();
        var hash = apiKeys.Hash(plaintext);
        // Deleted keys keep their hash: a key once issued is never handed to anyone else.
        if (await db.ApiKeys.IgnoreQueryFilters().AnyAsync(k => k.KeyHash == hash, ct))
        {
            if (customKey is not null)
            {
                await FailureBudget.CustomKey.RecordFailureAsync(db, me.Id, now, ct);
            }
            return KeyTaken();
        }
        var key = new ApiKey
        {
            UserId = me.Id,
            KeyHash = hash,
            KeyHint = ApiKeys.Hint(plaintext),
            Name = req.Name!.Trim(),
            GroupId = group?.Id,
            IpWhitelist = whitelist,
            IpBlacklist = blacklist,
            Quota = req.Quota ?? 0m,
            ExpiresAt = req.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiKeys.Add(key);
        if (!await db.TrySaveUniqueAsync(ct))
        {
            return KeyTaken();
        }
        key.Group = group;
        return Api.Ok(ApiKeyDto.From(key, plaintext));
    }

    private static async Task<IResult> UpdateAsync(long id, UpdateKeyRequest req, CurrentUser me, Sub2ApiDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        var error = Validate.First(
            req.Name is null ? null : Validate.Required(req.Name, "name", KeyRules.MaxNameLength),
            Validate.OneOf(req.Status, "status", KeyRules.SettableStatuses, required: false),
            KeyRules.NormalizeIpList(req.IpWhitelist, "ip_whitelist", out var whitelist),
            KeyRules.NormalizeIpList(req.IpBlacklist, "ip_blacklist", out var blacklist),
            MoneyBounds.Amount(req.Quota, "quota"),
            KeyRules.ReadGroupId(req.GroupId, out var groupSent, out var groupId),
            KeyRules.ReadExpiresAt(req.ExpiresAt, out var expirySent, out var expiresAt));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var key = await db.ApiKeys.Include(k => k.Group).FirstOrDefaultAsync(k => k.Id == id && k.UserId == me.Id, ct);
        if (key is null)
        {
            return KeyNotFound();
        }
        var now = time.GetUtcNow().UtcDateTime;
        // Only a change of group is checked: re-saving a form must not fail because access to the current
        // group was withdrawn since (the gateway enforces that at request time).
        if (groupSent && groupId != key.GroupId)
        {
            Group? group = null;
            if (groupId is { } newGroupId)
            {
                (group, var denied) = await GroupAccess.CheckAsync(db, me.Id, newGroupId, now, ct);
                if (denied is not null)
                {
                    return denied;
                }
            }
            key.GroupId = group?.Id;
            key.Group = group;
        }

        if (req.Name is not null)
        {
            key.Name = req.Name.Trim();
        }
        if (req.IpWhitelist is not null)
        {
            key.IpWhitelist = whitelist;
        }
        if (req.IpBlacklist is not null)
        {
            key.IpBlacklist = blacklist;
        }
        if (req.Quota is { } quota)
        {
            key.Quota = quota;
        }
        if (expirySent)
        {
            key.ExpiresAt = expiresAt;
        }
        if (req.ResetQuota == true)
        {
            key.QuotaUsed = 0m;
        }
        key.Status = req.Status switch
        {
            Statuses.Inactive or Statuses.Disabled => Statuses.Disabled,
            Statuses.Active => KeyRules.DeriveStatus(key, now),
            // Status not sent: a disabled key stays disabled; any other re-reads its quota and expiry.
            _ => key.Status == Statuses.Disabled ? Statuses.Disabled : KeyRules.DeriveStatus(key, now),
        };
        await db.SaveChangesAsync(ct);
        return Api.Ok(ApiKeyDto.From(key));
    }

    private static async Task<IResult> DeleteAsync(long id, CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == me.Id, ct);
        if (key is null)
        {
            return KeyNotFound();
        }
        key.DeletedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "API key deleted" });
    }

    private static IResult KeyNotFound() => Api.NotFound("API key not found", "API_KEY_NOT_FOUND");

    private static IResult KeyTaken() => Api.Conflict("this key is already in use; choose another custom_key", "API_KEY_EXISTS");
}

using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Accounts;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Security;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Sub2Api.Admin.Accounts;

/// <summary>
/// <c>/api/v1/admin/accounts</c> CRUD (SPEC §2.5). Credentials are stored only encrypted and every response
/// carries them masked.
/// </summary>
internal static class AccountsApi
{
    public static void MapAdminAccounts(this RouteGroupBuilder group)
    {
        var accounts = group.MapGroup("/accounts");
        accounts.MapGet("", ListAsync);
        // No route constraint on {id}: a non-numeric id becomes a 400 envelope instead of an empty 404.
        accounts.MapGet("/{id}", GetAsync);
        accounts.MapPost("", CreateAsync);
        accounts.MapPut("/{id}", UpdateAsync);
        accounts.MapDelete("/{id}", DeleteAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"account {id} not found");

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, CredentialsCodec codec,
        IConcurrencySlots slots, string? platform, string? type, string? status, [FromQuery(Name = "group_id")] string? groupId, string? search,
        CancellationToken ct)
    {
        var page = PageRequest.From(request);
        var error = Validate.First(
            Validate.OneOf(NullIfEmpty(platform), "platform", Platforms.All, required: false),
            Validate.OneOf(NullIfEmpty(type), "type", AccountRules.AcceptedTypes, required: false),
            Validate.OneOf(NullIfEmpty(status), "status", AccountRules.FilterStatuses, required: false),
            string.IsNullOrEmpty(groupId) || long.TryParse(groupId, out _) ? null : "group_id must be a group id");
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var query = db.Accounts.AsNoTracking().Include(a => a.Groups).AsQueryable();
        if (!string.IsNullOrEmpty(platform))
        {
            query = query.Where(a => a.Platform == platform);
        }
        if (AccountRules.NormalizeType(NullIfEmpty(type)) is { } storedType)
        {
            query = query.Where(a => a.Type == storedType);
        }
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(a => a.Status == status);
        }
        if (long.TryParse(groupId, out var inGroup))
        {
            query = query.Where(a => a.Groups.Any(g => g.GroupId == inGroup));
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(a => a.Name.ToLower().Contains(term));
        }
        var result = await query.OrderByDescending(a => a.Id).ToPageAsync(page, a => ToDto(a, codec), ct);
        return Api.Ok(result with { Items = await AccountReferences.CompleteAsync(result.Items, db, slots, ct) });
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static AccountDto ToDto(Account account, CredentialsCodec codec) =>
        AccountDto.From(account, codec.MaskStored(account.CredentialsEncrypted));

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, CredentialsCodec codec, IConcurrencySlots slots,
        CancellationToken ct) =>
        await db.Accounts.AsNoTracking().Include(a => a.Groups).FirstOrDefaultAsync(a => a.Id == id, ct) is { } account
            ? Api.Ok((await AccountReferences.CompleteAsync([ToDto(account, codec)], db, slots, ct))[0])
            : NotFound(id);

    private static async Task<IResult> CreateAsync(AccountRequest req, Sub2ApiDbContext db, CredentialsCodec codec, IConcurrencySlots slots,
        CancellationToken ct)
    {
        var type = AccountRules.NormalizeType(req.Type);
        var error = AccountRules.ReadObjects(req, out var credentials, out var extra)
            ?? AccountRules.CheckFields(req, creating: true)
            ?? AccountRules.CheckCredentials(type!, credentials!)
            ?? await AccountRules.CheckReferencesAsync(db, req.Platform!, req.ProxyId, req.GroupIds, ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var account = new Account { Name = req.Name!.Trim(), Platform = req.Platform!, Type = type! };
        AccountRules.Apply(account, req, credentials, extra, codec, _ => false);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return Api.Ok((await AccountReferences.CompleteAsync([ToDto(account, codec)], db, slots, ct))[0]);
    }

    private static async Task<IResult> UpdateAsync(long id, JsonElement body, Sub2ApiDbContext db, CredentialsCodec codec,
        IAccountRefreshLock refreshLock, AccountCredentialStore credentialStore, IOptions<HttpJsonOptions> json, TimeProvider time,
        IConcurrencySlots slots, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Api.BadRequest("request body must be a JSON object");
        }
        // Bound by hand so an explicit null ("no proxy", "never expires") can be told apart from a missing field.
        var req = body.Deserialize<AccountRequest>(json.Value.SerializerOptions)!;
        // A credentials edit is a credential write like a token refresh: it takes the same lock, and the row is read
        // after it, so the merge below starts from the tokens stored now, never from a copy a refresh has replaced.
        var writesCredentials = req.Credentials is { ValueKind: not JsonValueKind.Null };
        await using var held = writesCredentials ? await refreshLock.AcquireAsync(id, TimeSpan.FromSeconds(30), ct) : null;
        if (writesCredentials && held is null)
        {
            return Api.Conflict("the account's credentials are being refreshed right now; try again");
        }
        var account = await db.Accounts.Include(a => a.Groups).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return NotFound(id);
        }
        var error = AccountRules.ReadObjects(req, out var incoming, out var extra) ?? AccountRules.CheckFields(req, creating: false);
        var platform = req.Platform ?? account.Platform;
        var type = AccountRules.NormalizeType(req.Type) ?? account.Type;
        // A secret sent back in its masked form means "keep the stored one".
        var credentials = incoming is null
            ? null
            : CredentialsUpdate.Merge(codec.Unprotect(account.CredentialsEncrypted), incoming, time.GetUtcNow());
        if (error is null && (credentials is not null || type != account.Type))
        {
            error = AccountRules.CheckCredentials(type, credentials ?? codec.Unprotect(account.CredentialsEncrypted));
        }
        if (error is null)
        {
            // Re-check the groups the account keeps when only its platform changes.
            var groupIds = req.GroupIds ?? (platform != account.Platform ? account.Groups.Select(g => g.GroupId).ToList() : null);
            error = await AccountRules.CheckReferencesAsync(db, platform, req.ProxyId, groupIds, ct);
        }
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        AccountRules.Apply(account, req, credentials, extra, codec,
            field => body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Null);
        await db.SaveChangesAsync(ct);
        if (credentials is not null)
        {
            credentialStore.Offer(id, AccountCredentials.From(credentials));
            credentialStore.Announce(id);
        }
        return Api.Ok((await AccountReferences.CompleteAsync([ToDto(account, codec)], db, slots, ct))[0]);
    }

    private static async Task<IResult> DeleteAsync(long id, Sub2ApiDbContext db, CancellationToken ct)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return NotFound(id);
        }
        // The row stays (usage logs point at it) but it must stop counting as a member of any group.
        db.AccountGroups.RemoveRange(await db.AccountGroups.Where(ag => ag.AccountId == id).ToListAsync(ct));
        account.DeletedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "account deleted" });
    }
}

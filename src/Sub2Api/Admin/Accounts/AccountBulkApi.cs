using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Accounts;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Security;

namespace Sub2Api.Admin.Accounts;

/// <summary>
/// Many accounts at once: <c>POST /accounts/batch</c>, <c>/bulk-update</c> and <c>/batch-update-credentials</c>.
/// Each account is validated like a single create/update; one account's failure is reported and the others proceed.
/// </summary>
internal static class AccountBulkApi
{
    public const int MaxBatch = 1000;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>The original's single-field form of batch-update-credentials.</summary>
    private static readonly string[] CredentialFields = ["account_uuid", "org_uuid", "intercept_warmup_requests"];

    public static void MapAdminAccountBulk(this RouteGroupBuilder admin)
    {
        var accounts = admin.MapGroup("/accounts");
        accounts.MapPost("/batch", BatchCreateAsync);
        accounts.MapPost("/bulk-update", BulkUpdateAsync);
        accounts.MapPost("/batch-update-credentials", BatchUpdateCredentialsAsync);
    }

    private static string? CheckIds(List<long>? ids, string field = "account_ids") => ids switch
    {
        null or { Count: 0 } => $"{field} is required and must not be empty",
        { Count: > MaxBatch } => $"at most {MaxBatch} {field} per request",
        _ when ids.Any(id => id <= 0) => $"{field} must contain account ids",
        _ => null,
    };

    private static async Task<IResult> BatchCreateAsync(BatchCreateAccountsRequest req, Sub2ApiDbContext db, CredentialsCodec codec,
        CancellationToken ct)
    {
        if (req.Accounts is not { Count: > 0 } items)
        {
            return Api.BadRequest("accounts is required and must not be empty");
        }
        if (items.Count > MaxBatch)
        {
            return Api.BadRequest($"at most {MaxBatch} accounts per batch");
        }
        var results = new List<BatchCreateAccountResult>(items.Count);
        foreach (var item in items)
        {
            if (item is null)
            {
                results.Add(new BatchCreateAccountResult(null, null, false, "account must be an object"));
                continue;
            }
            var type = AccountRules.NormalizeType(item.Type);
            var error = AccountRules.ReadObjects(item, out var credentials, out var extra)
                ?? AccountRules.CheckFields(item, creating: true)
                ?? AccountRules.CheckCredentials(type!, credentials!)
                ?? await AccountRules.CheckReferencesAsync(db, item.Platform!, item.ProxyId, item.GroupIds, ct);
            if (error is not null)
            {
                results.Add(new BatchCreateAccountResult(item.Name, null, false, error));
                continue;
            }
            var account = new Account { Name = item.Name!.Trim(), Platform = item.Platform!, Type = type! };
            AccountRules.Apply(account, item, credentials, extra, codec, _ => false);
            db.Accounts.Add(account);
            await db.SaveChangesAsync(ct);
            results.Add(new BatchCreateAccountResult(item.Name, account.Id, true));
        }
        return Api.Ok(new { success = results.Count(r => r.Success), failed = results.Count(r => !r.Success), results });
    }

    private static async Task<IResult> BulkUpdateAsync(BulkUpdateAccountsRequest req, Sub2ApiDbContext db, CredentialsCodec codec,
        IAccountRefreshLock refreshLock, AccountCredentialStore credentialStore, ConfigGeneration generation, TimeProvider time,
        CancellationToken ct)
    {
        // The original's "inactive" is this project's "disabled".
        var status = req.Status == Statuses.Inactive ? Statuses.Disabled : NullIfEmpty(req.Status);
        var fields = new AccountRequest(NullIfEmpty(req.Name), null, null, null, req.Credentials, req.Extra, req.ProxyId,
            req.Concurrency, req.Priority, req.RateMultiplier, req.GroupIds, null, null, req.Schedulable, status);
        var shapeError = AccountRules.ReadObjects(fields, out var credentials, out var extra);
        var error = CheckIds(req.AccountIds)
            ?? shapeError
            ?? AccountRules.CheckFields(fields, creating: false)
            ?? (HasUpdates(fields, credentials, extra) ? null : "No updates provided")
            ?? await AccountRules.CheckReferencesAsync(db, Platforms.Anthropic, req.ProxyId, null, ct)
            ?? await CheckGroupsExistAsync(db, req.GroupIds, ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var groupPlatforms = req.GroupIds is { Count: > 0 } groupIds
            ? await db.Groups.Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Platform, ct)
            : [];
        var result = await ForEachAccountAsync(req.AccountIds!, credentials is not null, db, refreshLock, credentialStore, codec, account =>
        {
            if (groupPlatforms.FirstOrDefault(g => !AccountRules.CanJoin(account.Platform, g.Value)) is { Value: not null } wrong)
            {
                return $"group {wrong.Key} is a {wrong.Value} group and cannot hold {account.Platform} accounts";
            }
            var merged = credentials is null ? null : MergeCredentials(codec, account, credentials, time);
            if (merged is not null && AccountRules.CheckCredentials(account.Type, merged) is { } invalid)
            {
                return invalid;
            }
            AccountRules.Apply(account, fields, merged, extra is null ? null : MergeExtra(account.Extra, extra), codec, _ => false);
            return null;
        }, ct);
        generation.Bump(ConfigScope.Accounts);
        return Api.Ok(result);
    }

    private static async Task<IResult> BatchUpdateCredentialsAsync(BatchUpdateCredentialsRequest req, Sub2ApiDbContext db,
        CredentialsCodec codec, IAccountRefreshLock refreshLock, AccountCredentialStore credentialStore, ConfigGeneration generation,
        TimeProvider time, CancellationToken ct)
    {
        if (CheckIds(req.AccountIds) is { } idError)
        {
            return Api.BadRequest(idError);
        }
        JsonObject? credentials = null;
        JsonObject? extra = null;
        if (req.Credentials is { ValueKind: not JsonValueKind.Null })
        {
            var shapeError = AccountRules.ReadObjects(new AccountRequest(null, null, null, null, req.Credentials, null, null, null, null,
                null, null, null, null, null, null), out credentials, out _);
            if (shapeError is not null || credentials is not { Count: > 0 })
            {
                return Api.BadRequest(shapeError ?? "credentials must not be empty");
            }
        }
        else if (CheckField(req, out credentials, out extra) is { } fieldError)
        {
            return Api.BadRequest(fieldError);
        }
        var ids = req.AccountIds!.Distinct().ToList();
        var found = await db.Accounts.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        if (ids.FirstOrDefault(id => !found.Contains(id)) is var missing and > 0)
        {
            return Api.NotFound($"Account {missing} not found");
        }
        var result = await ForEachAccountAsync(ids, credentials is not null, db, refreshLock, credentialStore, codec, account =>
        {
            var merged = credentials is null ? null : MergeCredentials(codec, account, credentials, time);
            if (merged is not null && AccountRules.CheckCredentials(account.Type, merged) is { } invalid)
            {
                return invalid;
            }
            if (merged is not null)
            {
                account.CredentialsEncrypted = codec.Protect(merged);
            }
            if (extra is not null)
            {
                account.Extra = MergeExtra(account.Extra, extra).ToJsonString();
            }
            return null;
        }, ct);
        generation.Bump(ConfigScope.Accounts);
        return Api.Ok(result);
    }

    /// <summary>
    /// The original's <c>field</c>/<c>value</c> form. <c>account_uuid</c> and <c>org_uuid</c> live in <c>extra</c> here
    /// (where the relay reads them; null removes them), <c>intercept_warmup_requests</c> in the credentials.
    /// </summary>
    private static string? CheckField(BatchUpdateCredentialsRequest req, out JsonObject? credentials, out JsonObject? extra)
    {
        credentials = null;
        extra = null;
        if (string.IsNullOrEmpty(req.Field))
        {
            return "credentials (an object) or field is required";
        }
        if (!CredentialFields.Contains(req.Field))
        {
            return $"field must be one of: {string.Join(", ", CredentialFields)}";
        }
        var value = req.Value ?? default;
        if (req.Field == "intercept_warmup_requests")
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "intercept_warmup_requests must be boolean";
            }
            credentials = new JsonObject { [req.Field] = value.GetBoolean() };
            return null;
        }
        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return $"{req.Field} must be string or null";
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text?.Length > 200)
        {
            return $"{req.Field} must be at most 200 characters";
        }
        extra = new JsonObject { [req.Field] = text is { Length: > 0 } ? JsonValue.Create(text) : null };
        return null;
    }

    private static bool HasUpdates(AccountRequest r, JsonObject? credentials, JsonObject? extra) =>
        r.Name is not null || r.ProxyId is not null || r.Concurrency is not null || r.Priority is not null || r.RateMultiplier is not null
        || r.Status is not null || r.Schedulable is not null || r.GroupIds is not null || credentials is { Count: > 0 } || extra is { Count: > 0 };

    private static async Task<string?> CheckGroupsExistAsync(Sub2ApiDbContext db, List<long>? groupIds, CancellationToken ct)
    {
        if (groupIds is not { Count: > 0 })
        {
            return null;
        }
        var existing = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
        return groupIds.FirstOrDefault(id => !existing.Contains(id)) is var missing and > 0 ? $"group_ids: group {missing} does not exist" : null;
    }

    /// <summary>The stored credentials with the given keys set (a masked secret sent back keeps the stored one).</summary>
    private static JsonObject MergeCredentials(CredentialsCodec codec, Account account, JsonObject incoming, TimeProvider time)
    {
        var stored = codec.Unprotect(account.CredentialsEncrypted);
        var overlay = (JsonObject)stored.DeepClone();
        foreach (var (name, value) in incoming)
        {
            overlay[name] = value?.DeepClone();
        }
        return CredentialsUpdate.Merge(stored, overlay, time.GetUtcNow());
    }

    /// <summary>The stored extra with the given keys set; a null value removes the key.</summary>
    private static JsonObject MergeExtra(string stored, JsonObject incoming)
    {
        JsonObject merged;
        try
        {
            merged = JsonNode.Parse(string.IsNullOrWhiteSpace(stored) ? "{}" : stored) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            merged = [];
        }
        foreach (var (name, value) in incoming)
        {
            if (value is null)
            {
                merged.Remove(name);
            }
            else
            {
                merged[name] = value.DeepClone();
            }
        }
        return merged;
    }

    /// <summary>
    /// Applies <paramref name="change"/> (null = success, else the reason) to each account and saves it on its own,
    /// under the account's credential lock when credentials are written, so one failure leaves the others done.
    /// </summary>
    private static async Task<BulkAccountsResult> ForEachAccountAsync(List<long> accountIds, bool writesCredentials,
        Sub2ApiDbContext db, IAccountRefreshLock refreshLock, AccountCredentialStore credentialStore, CredentialsCodec codec,
        Func<Account, string?> change, CancellationToken ct)
    {
        var results = new List<BulkAccountResult>(accountIds.Count);
        foreach (var id in accountIds.Distinct())
        {
            await using var held = writesCredentials ? await refreshLock.AcquireAsync(id, LockWait, ct) : null;
            if (writesCredentials && held is null)
            {
                results.Add(new BulkAccountResult(id, false, "the account's credentials are being refreshed right now; try again"));
                continue;
            }
            var account = await db.Accounts.Include(a => a.Groups).FirstOrDefaultAsync(a => a.Id == id, ct);
            if (account is null)
            {
                results.Add(new BulkAccountResult(id, false, "account not found"));
                continue;
            }
            var before = account.CredentialsEncrypted;
            if (change(account) is { } error)
            {
                db.ChangeTracker.Clear();
                results.Add(new BulkAccountResult(id, false, error));
                continue;
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            if (account.CredentialsEncrypted != before)
            {
                credentialStore.Offer(id, AccountCredentials.From(codec.Unprotect(account.CredentialsEncrypted)));
                credentialStore.Announce(id);
            }
            results.Add(new BulkAccountResult(id, true));
        }
        return new BulkAccountsResult(
            results.Count(r => r.Success), results.Count(r => !r.Success),
            results.Where(r => r.Success).Select(r => r.AccountId).ToList(),
            results.Where(r => !r.Success).Select(r => r.AccountId).ToList(), results);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

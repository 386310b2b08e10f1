using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Admin.Accounts;
using Sub2Api.Admin.Proxies;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Admin.DataTransfer;

/// <summary>
/// Imports a migration file. Proxies that exist already (same protocol, host, port, username and password) are
/// reused, the others created; each account is validated exactly as <c>POST /accounts</c> validates it and created
/// with its proxy resolved through <c>proxy_key</c>. A bad item is reported and skipped, never fatal.
/// </summary>
internal static class DataImporter
{
    public static async Task<DataImportResult> ImportAsync(DataPayload data, Sub2ApiDbContext db, CredentialsCodec codec,
        SecretProtector protector, CancellationToken ct)
    {
        var result = new DataImportResult();
        var existing = await db.Proxies.ToListAsync(ct);
        var byKey = new Dictionary<string, Proxy>(StringComparer.Ordinal);
        foreach (var p in existing)
        {
            byKey.TryAdd(DataTransferApi.DataKey(p.Protocol, p.Host, p.Port, p.Username, NullIfEmpty(ProxyIdentity.Password(p, protector))), p);
        }
        // proxy_key as written in the file → the proxy it names here (created proxies get their id on save).
        var resolved = new Dictionary<string, Proxy>(StringComparer.Ordinal);
        foreach (var item in data.Proxies!)
        {
            ImportProxy(item, db, protector, existing, byKey, resolved, result);
        }
        // Saved before the accounts so that the proxies created here have ids the accounts can point at.
        await db.SaveChangesAsync(ct);
        foreach (var item in data.Accounts!)
        {
            ImportAccount(item, db, codec, resolved, result);
        }
        await db.SaveChangesAsync(ct);
        return result;
    }

    private static void ImportProxy(DataProxy? item, Sub2ApiDbContext db, SecretProtector protector, List<Proxy> existing,
        Dictionary<string, Proxy> byKey, Dictionary<string, Proxy> resolved, DataImportResult result)
    {
        if (item is null)
        {
            Fail(result, "proxy", null, null, "proxy must be an object");
            return;
        }
        var username = NullIfEmpty(item.Username?.Trim());
        var password = NullIfEmpty(item.Password?.Trim());
        var fileKey = item.ProxyKey is { Length: > 0 } k ? k : DataTransferApi.DataKey(item.Protocol, item.Host, item.Port, username, password);
        var error = ProxyRules.CheckFields(
            new ProxyRequest(item.Name is { Length: > 0 } ? item.Name : "imported", item.Protocol, item.Host, item.Port, username, password, item.Status),
            creating: true);
        if (error is not null)
        {
            Fail(result, "proxy", item.Name, fileKey, error);
            return;
        }
        var status = ProxyRules.NormalizeStatus(NullIfEmpty(item.Status));
        var key = DataTransferApi.DataKey(item.Protocol, item.Host, item.Port, username, password);
        var match = byKey.GetValueOrDefault(key);
        // A proxy exported with its password masked can only be the one it was exported from.
        if (match is null && ProxyIdentity.LooksMasked(password))
        {
            match = existing.FirstOrDefault(p => p.Protocol == item.Protocol && p.Host == item.Host!.Trim() && p.Port == item.Port
                && (p.Username ?? "") == (username ?? "") && Masking.IsMaskOf(password!, ProxyIdentity.Password(p, protector)));
            if (match is null)
            {
                Fail(result, "proxy", item.Name, fileKey,
                    "the password is masked; export the proxies with include_passwords=true to carry it");
                return;
            }
        }
        if (match is not null)
        {
            if (status is not null && match.Status != status)
            {
                match.Status = status;
            }
            resolved[fileKey] = match;
            result.ProxyReused++;
            return;
        }
        var host = item.Host!.Trim();
        var proxy = new Proxy
        {
            Name = item.Name is { Length: > 0 } name ? name.Trim() : $"{host}:{item.Port}",
            Protocol = item.Protocol!,
            Host = host,
            Port = item.Port!.Value,
        };
        ProxyRules.Apply(proxy, new ProxyRequest(null, null, null, null, username ?? "", password ?? "", status), protector);
        db.Proxies.Add(proxy);
        existing.Add(proxy);
        byKey[key] = proxy;
        resolved[fileKey] = proxy;
        result.ProxyCreated++;
    }

    private static void ImportAccount(DataAccount? item, Sub2ApiDbContext db, CredentialsCodec codec,
        Dictionary<string, Proxy> resolved, DataImportResult result)
    {
        if (item is null)
        {
            Fail(result, "account", null, null, "account must be an object");
            return;
        }
        Proxy? proxy = null;
        if (item.ProxyKey is { Length: > 0 } proxyKey && !resolved.TryGetValue(proxyKey, out proxy))
        {
            Fail(result, "account", item.Name, proxyKey, "proxy_key not found");
            return;
        }
        var req = new AccountRequest(item.Name, item.Notes, item.Platform, item.Type, item.Credentials,
            item.Extra is { ValueKind: JsonValueKind.Null } ? null : item.Extra, null, item.Concurrency, item.Priority,
            item.RateMultiplier, null, item.ExpiresAt, item.AutoPauseOnExpired, null, null);
        var type = AccountRules.NormalizeType(req.Type);
        var error = AccountRules.ReadObjects(req, out var credentials, out var extra)
            ?? AccountRules.CheckFields(req, creating: true)
            ?? AccountRules.CheckCredentials(type!, credentials!);
        if (error is not null)
        {
            Fail(result, "account", item.Name, null, error);
            return;
        }
        var account = new Account { Name = req.Name!.Trim(), Platform = req.Platform!, Type = type! };
        AccountRules.Apply(account, req, credentials, extra, codec, _ => false);
        account.ProxyId = proxy?.Id;
        db.Accounts.Add(account);
        result.AccountCreated++;
    }

    private static void Fail(DataImportResult result, string kind, string? name, string? proxyKey, string message)
    {
        if (kind == "proxy")
        {
            result.ProxyFailed++;
        }
        else
        {
            result.AccountFailed++;
        }
        result.Errors.Add(new DataImportError(kind, name is null ? null : DataTransferApi.Clip(name),
            proxyKey is null ? null : DataTransferApi.Clip(proxyKey), message));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

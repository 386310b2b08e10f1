using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Admin.Accounts;
using Sub2Api.Admin.Proxies;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Admin.DataTransfer;

/// <summary>
/// <c>GET/POST /admin/accounts/data</c> and <c>/admin/proxies/data</c>: the original's migration file. The account
/// export carries credentials and its proxies' passwords in clear (what makes it a migration); the proxy-only export
/// masks passwords unless <c>include_passwords=true</c>. Neither is ever logged; both answer <c>Cache-Control: no-store</c>.
/// </summary>
internal static class DataTransferApi
{
    public const int MaxItems = 5000;

    public static void MapAdminDataTransfer(this RouteGroupBuilder admin)
    {
        admin.MapGet("/accounts/data", ExportAccountsAsync);
        admin.MapPost("/accounts/data", ImportAsync);
        admin.MapGet("/proxies/data", ExportProxiesAsync);
        admin.MapPost("/proxies/data", ImportAsync);
    }

    private static async Task<IResult> ExportAccountsAsync(HttpContext http, Sub2ApiDbContext db, CredentialsCodec codec,
        SecretProtector protector, TimeProvider time, CancellationToken ct)
    {
        var q = http.Request.Query;
        var idError = ParseIds(q["ids"], "account", out var ids);
        var flagError = ParseBool(q["include_proxies"], "include_proxies", true, out var includeProxies);
        var error = idError ?? flagError ?? Validate.First(
                Validate.OneOf(Empty(q["platform"]), "platform", Platforms.All, required: false),
                Validate.OneOf(Empty(q["type"]), "type", AccountRules.AcceptedTypes, required: false),
                Validate.OneOf(Empty(q["status"]), "status", AccountRules.FilterStatuses, required: false));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var query = db.Accounts.AsNoTracking();
        if (ids.Count > 0)
        {
            query = query.Where(a => ids.Contains(a.Id));
        }
        else
        {
            if (Empty(q["platform"]) is { } platform)
            {
                query = query.Where(a => a.Platform == platform);
            }
            if (AccountRules.NormalizeType(Empty(q["type"])) is { } type)
            {
                query = query.Where(a => a.Type == type);
            }
            if (Empty(q["status"]) is { } status)
            {
                query = query.Where(a => a.Status == status);
            }
            if (Empty(q["search"])?.Trim() is { Length: > 0 } search)
            {
                var term = search[..Math.Min(search.Length, 100)].ToLowerInvariant();
                query = query.Where(a => a.Name.ToLower().Contains(term));
            }
        }
        var accounts = await query.OrderBy(a => a.Id).ToListAsync(ct);
        var proxyIds = includeProxies ? accounts.Where(a => a.ProxyId is not null).Select(a => a.ProxyId!.Value).Distinct().ToList() : [];
        var proxies = await db.Proxies.AsNoTracking().Where(p => proxyIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(ct);
        var exported = proxies.ToDictionary(p => p.Id, p => ToData(p, protector, withPassword: true));
        var rows = accounts.Select(a => new DataAccountOut(
            a.Name, a.Notes.Length == 0 ? null : a.Notes, a.Platform, a.Type, codec.Unprotect(a.CredentialsEncrypted),
            ParseObject(a.Extra), a.ProxyId is { } pid && exported.TryGetValue(pid, out var dp) ? dp.ProxyKey : null,
            a.Concurrency, a.Priority, a.RateMultiplier,
            a.ExpiresAt is { } expires ? new DateTimeOffset(expires, TimeSpan.Zero).ToUnixTimeSeconds() : null,
            a.AutoPauseOnExpired)).ToList();
        http.Response.Headers.CacheControl = "no-store";
        return Api.Ok(Payload(time, [.. exported.Values], rows));
    }

    private static async Task<IResult> ExportProxiesAsync(HttpContext http, Sub2ApiDbContext db, SecretProtector protector,
        TimeProvider time, CancellationToken ct)
    {
        var q = http.Request.Query;
        var idError = ParseIds(q["ids"], "proxy", out var ids);
        var flagError = ParseBool(q["include_passwords"], "include_passwords", false, out var withPasswords);
        var error = idError ?? flagError ?? Validate.OneOf(Empty(q["protocol"]), "protocol", ProxyProtocols.All, required: false)
            ?? ProxyRules.CheckStatus(Empty(q["status"]));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var query = db.Proxies.AsNoTracking();
        if (ids.Count > 0)
        {
            query = query.Where(p => ids.Contains(p.Id));
        }
        else
        {
            if (Empty(q["protocol"]) is { } protocol)
            {
                query = query.Where(p => p.Protocol == protocol);
            }
            if (ProxyRules.NormalizeStatus(Empty(q["status"])) is { } status)
            {
                query = query.Where(p => p.Status == status);
            }
            if (Empty(q["search"])?.Trim() is { Length: > 0 } search)
            {
                var term = search[..Math.Min(search.Length, 100)].ToLowerInvariant();
                query = query.Where(p => p.Name.ToLower().Contains(term) || p.Host.ToLower().Contains(term));
            }
        }
        var proxies = await query.OrderBy(p => p.Id).ToListAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return Api.Ok(Payload(time, proxies.Select(p => ToData(p, protector, withPasswords)).ToList(), []));
    }

    private static DataPayloadOut Payload(TimeProvider time, IReadOnlyList<DataProxy> proxies, IReadOnlyList<DataAccountOut> accounts) =>
        new(DataPayload.CurrentType, DataPayload.CurrentVersion,
            time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            proxies, accounts);

    private static DataProxy ToData(Proxy p, SecretProtector protector, bool withPassword)
    {
        var clear = ProxyIdentity.Password(p, protector);
        var password = clear.Length == 0 ? null : withPassword ? clear : Masking.Mask(clear);
        return new DataProxy(DataKey(p.Protocol, p.Host, p.Port, p.Username, password), p.Name, p.Protocol, p.Host, p.Port,
            string.IsNullOrEmpty(p.Username) ? null : p.Username, password, p.Status);
    }

    /// <summary>The original's <c>proxy_key</c>: how accounts in the file point at their proxy.</summary>
    public static string DataKey(string? protocol, string? host, int? port, string? username, string? password) =>
        $"{protocol?.Trim()}|{host?.Trim()}|{port ?? 0}|{username?.Trim()}|{password?.Trim()}";

    private static async Task<IResult> ImportAsync(DataImportRequest req, Sub2ApiDbContext db, CredentialsCodec codec,
        SecretProtector protector, CancellationToken ct)
    {
        if (req.Data is not { } data)
        {
            return Api.BadRequest("data is required");
        }
        if (data.Type is { Length: > 0 } type && type != DataPayload.CurrentType && type != DataPayload.LegacyType)
        {
            return Api.BadRequest($"unsupported data type: {Clip(type)}");
        }
        if (data.Version is { } version && version != 0 && version != DataPayload.CurrentVersion)
        {
            return Api.BadRequest($"unsupported data version: {version}");
        }
        if (data.Proxies is null)
        {
            return Api.BadRequest("proxies is required");
        }
        if (data.Accounts is null)
        {
            return Api.BadRequest("accounts is required");
        }
        if (data.Proxies.Count > MaxItems || data.Accounts.Count > MaxItems)
        {
            return Api.BadRequest($"at most {MaxItems} proxies and {MaxItems} accounts per import");
        }
        return Api.Ok(await DataImporter.ImportAsync(data, db, codec, protector, ct));
    }

    internal static string Clip(string value) => value.Length <= 100 ? value : value[..100] + "…";

    private static string? Empty(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrEmpty(value.ToString()) ? null : value.ToString();

    private static string? ParseIds(Microsoft.Extensions.Primitives.StringValues values, string kind, out List<long> ids)
    {
        ids = [];
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',')).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (!long.TryParse(part, out var id) || id <= 0)
            {
                return $"invalid {kind} id: {Clip(part)}";
            }
            ids.Add(id);
        }
        return ids.Count > MaxItems ? $"at most {MaxItems} ids" : null;
    }

    private static string? ParseBool(Microsoft.Extensions.Primitives.StringValues value, string name, bool fallback, out bool result)
    {
        result = fallback;
        switch (value.ToString().Trim().ToLowerInvariant())
        {
            case "":
                return null;
            case "1" or "true" or "yes" or "on":
                result = true;
                return null;
            case "0" or "false" or "no" or "off":
                result = false;
                return null;
            default:
                return $"invalid {name} value: {Clip(value.ToString())}";
        }
    }

    private static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) is JsonObject o && o.Count > 0 ? o : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

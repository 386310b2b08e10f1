using Sub2Api.Common;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Admin.Proxies;

/// <summary>
/// Body of <c>POST /proxies</c> and <c>PUT /proxies/{id}</c>. On update a missing or null field keeps its value;
/// <c>password</c> sent back masked keeps the stored one and an empty string clears it (so does an empty username).
/// </summary>
internal sealed record ProxyRequest(
    string? Name,
    string? Protocol,
    string? Host,
    int? Port,
    string? Username,
    string? Password,
    string? Status);

/// <summary>A proxy as the admin API shows it: the password only ever masked.</summary>
internal sealed record ProxyDto(
    long Id,
    string Name,
    string Protocol,
    string Host,
    int Port,
    string? Username,
    string? Password,
    string Status,
    long AccountCount,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ProxyDto From(Proxy p, long accountCount, SecretProtector protector) => new(
        p.Id, p.Name, p.Protocol, p.Host, p.Port, p.Username,
        p.PasswordEncrypted is { Length: > 0 } stored ? Masking.Mask(protector.Unprotect(stored)) : null,
        p.Status, accountCount, p.CreatedAt, p.UpdatedAt);
}

internal static class ProxyRules
{
    /// <summary>The original's values. "disabled" (what this project used to store) is still accepted as input.</summary>
    public static readonly string[] ProxyStatuses = [Statuses.Active, Statuses.Inactive];
    private static readonly string[] AcceptedStatuses = [Statuses.Active, Statuses.Inactive, Statuses.Disabled];

    /// <summary>A status as stored: the legacy "disabled" becomes "inactive"; anything else unchanged.</summary>
    public static string? NormalizeStatus(string? status) => status == Statuses.Disabled ? Statuses.Inactive : status;

    public static string? CheckStatus(string? status, bool required = false) =>
        status is null ? (required ? "status is required" : null)
        : AcceptedStatuses.Contains(status) ? null : "status must be one of: active, inactive";

    public static string? CheckFields(ProxyRequest r, bool creating) => Validate.First(
        creating || r.Name is not null ? Validate.Required(r.Name, "name", 100) : null,
        Validate.OneOf(r.Protocol, "protocol", ProxyProtocols.All, required: creating),
        creating || r.Host is not null ? CheckHost(r.Host) : null,
        creating && r.Port is null ? "port is required" : Validate.Range(r.Port, "port", 1, 65535),
        r.Username?.Length > 255 ? "username must be at most 255 characters" : null,
        r.Password?.Length > 255 ? "password must be at most 255 characters" : null,
        CheckStatus(r.Status));

    /// <summary>A bare host name or IP address: no scheme, port, path or credentials.</summary>
    private static string? CheckHost(string? host) =>
        Validate.Required(host, "host") ?? (Uri.CheckHostName(host!.Trim()) == UriHostNameType.Unknown
            ? "host must be a host name or IP address (without scheme or port)"
            : null);

    /// <summary>Copies the given fields (already validated).</summary>
    public static void Apply(Proxy p, ProxyRequest r, SecretProtector protector)
    {
        p.Name = r.Name?.Trim() ?? p.Name;
        p.Protocol = r.Protocol ?? p.Protocol;
        p.Host = r.Host?.Trim() ?? p.Host;
        p.Port = r.Port ?? p.Port;
        p.Status = NormalizeStatus(r.Status) ?? p.Status;
        if (r.Username is not null)
        {
            p.Username = r.Username.Length == 0 ? null : r.Username;
        }
        if (r.Password is null)
        {
            return;
        }
        if (r.Password.Length == 0)
        {
            p.PasswordEncrypted = null;
        }
        else if (p.PasswordEncrypted is not { Length: > 0 } stored || !Masking.IsMaskOf(r.Password, protector.Unprotect(stored)))
        {
            p.PasswordEncrypted = protector.Protect(r.Password);
        }
    }
}

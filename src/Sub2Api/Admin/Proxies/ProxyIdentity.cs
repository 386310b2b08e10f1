using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Admin.Proxies;

/// <summary>What makes two proxies "the same" when batches and imports skip duplicates.</summary>
internal static class ProxyIdentity
{
    /// <summary>The original's duplicate rule for batch create: same host, port, username and password.</summary>
    public static string Key(string host, int port, string? username, string? password) =>
        string.Join('\u0000', host.Trim().ToLowerInvariant(), port, username?.Trim() ?? "", password?.Trim() ?? "");

    /// <summary>The keys of every live proxy (passwords decrypted in memory only, to compare).</summary>
    public static async Task<HashSet<string>> LoadAsync(Sub2ApiDbContext db, SecretProtector protector, CancellationToken ct)
    {
        var rows = await db.Proxies.AsNoTracking().ToListAsync(ct);
        return rows.Select(p => Key(p.Host, p.Port, p.Username, Password(p, protector))).ToHashSet(StringComparer.Ordinal);
    }

    public static string Password(Proxy p, SecretProtector protector) =>
        p.PasswordEncrypted is { Length: > 0 } stored ? protector.Unprotect(stored) : "";

    /// <summary>A value that is a mask (<c>abcde…xy</c> or <c>****</c>), not a usable password.</summary>
    public static bool LooksMasked(string? value) =>
        !string.IsNullOrEmpty(value) && (value.Contains(Masking.Ellipsis, StringComparison.Ordinal) || value.All(c => c == '*'));
}

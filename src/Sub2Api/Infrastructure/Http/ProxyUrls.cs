using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Infrastructure.Http;

/// <summary>A proxy row as the URL <see cref="UpstreamHttpClients.For"/> takes (credentials decrypted, escaped).</summary>
internal static class ProxyUrls
{
    public static string Build(Proxy proxy, SecretProtector protector)
    {
        var auth = string.IsNullOrEmpty(proxy.Username)
            ? ""
            : Uri.EscapeDataString(proxy.Username) + (proxy.PasswordEncrypted is { Length: > 0 } pw
                ? ":" + Uri.EscapeDataString(protector.Unprotect(pw)) : "") + "@";
        return $"{proxy.Protocol}://{auth}{proxy.Host}:{proxy.Port}";
    }
}

using System.Net;
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

    /// <summary>
    /// The handler's proxy for such a URL. WebProxy ignores credentials written into its address: they must be given as
    /// <see cref="WebProxy.Credentials"/>, or an authenticating proxy answers 407 to every request. The address it keeps
    /// carries no credentials, so no error message can echo them.
    /// </summary>
    public static WebProxy ToWebProxy(string proxyUrl)
    {
        var uri = new Uri(proxyUrl.Replace("socks5h://", "socks5://", StringComparison.Ordinal));
        if (uri.UserInfo.Length == 0)
        {
            return new WebProxy(uri);
        }
        var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
        var password = separator < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
        return new WebProxy(new UriBuilder(uri) { UserName = "", Password = "" }.Uri) { Credentials = new NetworkCredential(user, password) };
    }
}

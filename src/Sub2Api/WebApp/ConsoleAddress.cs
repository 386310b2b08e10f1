using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Sub2Api.WebApp;

/// <summary>
/// Once the server listens, says where the web console is, as an address a browser on this machine can open: a
/// wildcard bind (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) is shown as <c>localhost</c>. Port 0 and
/// ASPNETCORE_URLS are only known after start, hence ApplicationStarted.
/// </summary>
internal static partial class ConsoleAddress
{
    public static WebApplication AnnounceConsoleAddress(this WebApplication app)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is { Count: > 0 })
            {
                Log.Listening(app.Logger, string.Join(", ", addresses.Select(Browsable).Distinct()));
            }
        });
        return app;
    }

    /// <summary>The address with a wildcard host replaced by <c>localhost</c>; anything else as it is.</summary>
    internal static string Browsable(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return address;
        }
        var hostStart = schemeEnd + 3;
        // An IPv6 host is bracketed ("[::]:8080"); otherwise the host ends at the port's colon or the path.
        var hostEnd = address[hostStart] == '['
            ? address.IndexOf(']', hostStart) + 1
            : address.IndexOfAny([':', '/'], hostStart);
        if (hostEnd <= 0)
        {
            hostEnd = address.Length;
        }
        var host = address[hostStart..hostEnd];
        return host is "0.0.0.0" or "[::]" or "+" or "*" ? string.Concat(address.AsSpan(0, hostStart), "localhost", address.AsSpan(hostEnd)) : address;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sub2Api is listening on {Addresses} — open it in a browser for the web console")]
        public static partial void Listening(ILogger logger, string addresses);
    }
}

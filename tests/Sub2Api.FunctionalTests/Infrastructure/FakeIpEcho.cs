using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// An ip-api.com look-alike on 127.0.0.1: <c>GET /json/</c> answers a fixed exit address in ip-api's field names.
/// <see cref="Hits"/> counts requests. Point the gateway at it with <see cref="Settings"/>.
/// </summary>
public sealed class FakeIpEcho : IAsyncDisposable
{
    public const string ExitIp = "203.0.113.77";
    public const string City = "Sydney";
    public const string Region = "New South Wales";
    public const string Country = "Australia";
    public const string CountryCode = "AU";

    private readonly WebApplication _app;
    private int _hits;

    private FakeIpEcho(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public int Hits => Volatile.Read(ref _hits);
    public string TestUrl => BaseUrl + "/json/?lang=zh-CN";

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Proxies:TestUrl"] = TestUrl };

    public static async Task<FakeIpEcho> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var echo = new FakeIpEcho(app);
        app.MapGet("/json/", () =>
        {
            Interlocked.Increment(ref echo._hits);
            return Results.Json(new
            {
                status = "success",
                query = ExitIp,
                city = City,
                regionName = Region,
                country = Country,
                countryCode = CountryCode,
            });
        });
        await app.StartAsync();
        echo.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return echo;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

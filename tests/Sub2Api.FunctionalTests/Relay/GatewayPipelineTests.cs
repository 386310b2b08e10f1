using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Gateway routes run outside the management API's authentication middleware (a hot-path saving). It sits in a
/// UseWhen branch, and WebApplication adds its own unconditional copy unless told the middleware is placed — this
/// pins both halves: gateway requests never reach it, management requests always do.
/// </summary>
public sealed class GatewayPipelineTests
{
    [Fact]
    public async Task AuthenticationMiddleware_RunsForManagementRoutes_NotForGatewayRoutes()
    {
        var ranAuthentication = new ConcurrentDictionary<string, bool>();
        await using var app = new Sub2ApiFactory();
        using var probed = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new AuthenticationProbe(ranAuthentication))));
        var client = probed.CreateClient();

        await client.GetAsync("/v1/models");
        await client.PostAsync("/v1/messages", new StringContent("{}"));
        await client.GetAsync("/api/v1/auth/me");
        await client.GetAsync("/api/v1/admin/users");

        Assert.False(ranAuthentication["/v1/models"]);
        Assert.False(ranAuthentication["/v1/messages"]);
        Assert.True(ranAuthentication["/api/v1/auth/me"]);
        Assert.True(ranAuthentication["/api/v1/admin/users"]);
    }

    /// <summary>Wraps the whole pipeline; after each request, notes whether AuthenticationMiddleware left its feature.</summary>
    private sealed class AuthenticationProbe(ConcurrentDictionary<string, bool> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                seen[context.Request.Path.Value!] = context.Features.Get<IAuthenticationFeature>() is not null;
            });
            next(app);
        };
    }
}

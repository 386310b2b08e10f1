using Sub2Api.Relay;

namespace Microsoft.AspNetCore.Builder;

internal static class RelayEndpoints
{
    /// <summary>
    /// The gateway routes clients call with an API key: each provider's relay routes (its <see cref="IGatewayRoutes"/>)
    /// and the routes every platform shares. They carry <see cref="GatewayEndpoint"/>: the management API's
    /// authentication, authorization and rate-limit middlewares skip them (the relay checks the key itself).
    /// </summary>
    public static void MapRelay(this IEndpointRouteBuilder app)
    {
        var gateway = app.MapGroup("").WithMetadata(GatewayEndpoint.Instance);
        foreach (var routes in app.ServiceProvider.GetServices<IGatewayRoutes>())
        {
            routes.Map(gateway);
        }
        gateway.MapGet("/v1/models", GatewayInfoApi.ModelsAsync);
        gateway.MapGet("/v1/usage", GatewayInfoApi.UsageAsync);
    }

    /// <summary>
    /// A relayed route. The pipeline is a singleton taken once: the hot routes then never touch RequestServices (no
    /// per-request DI scope).
    /// </summary>
    public static void MapRelayRoute(this IEndpointRouteBuilder gateway, string path, RelayRoute route)
    {
        var pipeline = gateway.ServiceProvider.GetRequiredService<RelayPipeline>();
        gateway.ServiceProvider.GetRequiredService<RelayRouteDialects>().Add(path, route.Dialect);
        var withPath = route with { Path = path };
        gateway.MapPost(path, context => pipeline.HandleAsync(context, withPath));
    }
}

/// <summary>Endpoint metadata: a gateway route (API-key traffic), outside the management API's middlewares.</summary>
internal sealed class GatewayEndpoint
{
    public static readonly GatewayEndpoint Instance = new();

    private GatewayEndpoint()
    {
    }

    public static bool Is(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<GatewayEndpoint>() is not null;
}

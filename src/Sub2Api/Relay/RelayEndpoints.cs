using Sub2Api.Relay;

namespace Microsoft.AspNetCore.Builder;

internal static class RelayEndpoints
{
    /// <summary>
    /// The gateway routes clients call with an API key (SPEC §2.2). Errors are in Anthropic's shape. They carry
    /// <see cref="GatewayEndpoint"/>: the management API's authentication, authorization and rate-limit
    /// middlewares skip them (the relay checks the key itself).
    /// </summary>
    public static void MapRelay(this IEndpointRouteBuilder app)
    {
        // Singletons taken once: the hot routes then never touch RequestServices (no per-request DI scope).
        var messages = app.ServiceProvider.GetRequiredService<MessagesRelay>();
        var countTokens = app.ServiceProvider.GetRequiredService<CountTokensRelay>();
        var gateway = app.MapGroup("").WithMetadata(GatewayEndpoint.Instance);
        gateway.MapPost("/v1/messages", messages.HandleAsync);
        gateway.MapPost("/v1/messages/count_tokens", countTokens.HandleAsync);
        gateway.MapGet("/v1/models", GatewayInfoApi.ModelsAsync);
        gateway.MapGet("/v1/usage", GatewayInfoApi.UsageAsync);
        // Claude Code's telemetry sink: accepted and discarded, so the CLI does not log errors.
        gateway.MapPost("/api/event_logging/batch", () => TypedResults.Ok());
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

using Sub2Api.Relay;

namespace Microsoft.AspNetCore.Builder;

internal static class RelayEndpoints
{
    /// <summary>The gateway routes clients call with an API key (SPEC §2.2). Errors are in Anthropic's shape.</summary>
    public static void MapRelay(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages", (HttpContext context, MessagesRelay relay) => relay.HandleAsync(context));
        app.MapPost("/v1/messages/count_tokens", (HttpContext context, CountTokensRelay relay) => relay.HandleAsync(context));
        app.MapGet("/v1/models", GatewayInfoApi.ModelsAsync);
        app.MapGet("/v1/usage", GatewayInfoApi.UsageAsync);
        // Claude Code's telemetry sink: accepted and discarded, so the CLI does not log errors.
        app.MapPost("/api/event_logging/batch", () => TypedResults.Ok());
    }
}

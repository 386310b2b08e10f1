using Sub2Api.Data.Entities;
using Sub2Api.Relay;

namespace Sub2Api.Providers.Anthropic;

/// <summary>The Anthropic Messages API routes of the gateway, and the small extras Claude Code calls.</summary>
internal sealed class AnthropicRoutes : IGatewayRoutes
{
    public static readonly RelayRoute Messages =
        new(AnthropicOperations.Messages, AnthropicMessagesDialect.Instance, AnthropicMessagesParser.Instance, Platforms.Anthropic);

    public void Map(IEndpointRouteBuilder gateway)
    {
        gateway.MapRelayRoute("/v1/messages", Messages);
        var countTokens = gateway.ServiceProvider.GetRequiredService<AnthropicCountTokensRelay>();
        gateway.MapPost("/v1/messages/count_tokens", countTokens.HandleAsync);
        // Claude Code's telemetry sink: accepted and discarded, so the CLI does not log errors.
        gateway.MapPost("/api/event_logging/batch", () => TypedResults.Ok());
    }
}

using Sub2Api.Data.Entities;
using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>The OpenAI routes of the gateway: Responses (Codex CLI calls either path, by its base URL) and Chat Completions.</summary>
internal sealed class OpenAIRoutes : IGatewayRoutes
{
    public static readonly RelayRoute Responses =
        new(OpenAIOperations.Responses, OpenAIResponsesDialect.Instance, OpenAIResponsesParser.Instance, Platforms.OpenAI);

    public static readonly RelayRoute Compact =
        new(OpenAIOperations.ResponsesCompact, OpenAIResponsesDialect.Instance, OpenAIResponsesParser.Instance, Platforms.OpenAI);

    public static readonly RelayRoute ChatCompletions =
        new(OpenAIOperations.ChatCompletions, OpenAIChatDialect.Instance, OpenAIChatParser.Instance, Platforms.OpenAI);

    public void Map(IEndpointRouteBuilder gateway)
    {
        gateway.MapRelayRoute("/v1/responses", Responses);
        gateway.MapRelayRoute("/responses", Responses);
        gateway.MapRelayRoute("/v1/responses/compact", Compact);
        gateway.MapRelayRoute("/responses/compact", Compact);
        gateway.MapRelayRoute("/v1/chat/completions", ChatCompletions);
        gateway.MapRelayRoute("/chat/completions", ChatCompletions);
    }
}

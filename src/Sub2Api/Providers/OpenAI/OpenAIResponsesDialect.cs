using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// The Responses API's error shapes (<c>{"error":{"type","message","code"}}</c>, and its streamed <c>error</c> event),
/// with an SSE comment as the keep-alive (OpenAI clients ignore comments).
/// </summary>
internal sealed class OpenAIResponsesDialect : IClientDialect
{
    public static readonly OpenAIResponsesDialect Instance = new();

    private static readonly byte[] Comment = ":\n\n"u8.ToArray();

    public ReadOnlyMemory<byte> Ping => Comment;

    public byte[] ErrorJson(string type, string message, string? code = null) => OpenAIErrors.Json(type, message, code);

    public byte[] ErrorSseEvent(string type, string message) => OpenAIErrors.ResponsesSseEvent(type, message);
}

using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Chat Completions' error shapes: the same JSON error, and <c>data: {"error":…}</c> once streaming.</summary>
internal sealed class OpenAIChatDialect : IClientDialect
{
    public static readonly OpenAIChatDialect Instance = new();

    private static readonly byte[] Comment = ":\n\n"u8.ToArray();

    public ReadOnlyMemory<byte> Ping => Comment;

    public byte[] ErrorJson(string type, string message, string? code = null) => OpenAIErrors.Json(type, message, code);

    public byte[] ErrorSseEvent(string type, string message) => OpenAIErrors.ChatSseEvent(type, message);
}

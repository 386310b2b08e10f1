using Sub2Api.Relay;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// An OpenAI-format client request as the relay carries it: what the parser read, and for a Chat Completions request
/// its Responses translation (what a ChatGPT account is sent; API-key accounts get the chat body itself).
/// </summary>
internal sealed record OpenAIClientRequest(OpenAIRequestInfo Info, bool IsChat, byte[]? ResponsesBody = null) : IRequestInfo
{
    public string Model => Info.Model;
    public bool Stream => Info.Stream;
}

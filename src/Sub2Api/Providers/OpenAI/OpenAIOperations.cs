namespace Sub2Api.Providers.OpenAI;

/// <summary>The operations (route kinds) of the OpenAI APIs this gateway relays.</summary>
internal static class OpenAIOperations
{
    public const string Responses = "responses";
    public const string ResponsesCompact = "responses_compact";
    public const string ChatCompletions = "chat_completions";
}

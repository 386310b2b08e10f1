namespace Sub2Api.Providers.OpenAI;

/// <summary>What the relay needs from an OpenAI request (Responses or Chat Completions), read from the top level
/// only; everything else in the body is forwarded as sent.</summary>
/// <param name="Model">The requested model (non-empty).</param>
/// <param name="Stream">The client wants SSE (<c>stream: true</c>).</param>
/// <param name="PromptCacheKey">The body's <c>prompt_cache_key</c> when it is a non-empty string, else null.</param>
/// <param name="IncludeUsage">Chat only: <c>stream_options.include_usage</c> is true (the last chunk then carries
/// usage). Always false for Responses, whose <c>response.completed</c> always carries it.</param>
/// <param name="HasInstructions">Responses: <c>instructions</c> is a non-empty string. Chat: a system or developer
/// message is present.</param>
internal sealed record OpenAIRequestInfo(
    string Model,
    bool Stream,
    string? PromptCacheKey,
    bool IncludeUsage,
    bool HasInstructions);

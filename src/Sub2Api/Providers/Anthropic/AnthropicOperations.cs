namespace Sub2Api.Providers.Anthropic;

/// <summary>The operations (route kinds) of the Anthropic Messages API this gateway relays.</summary>
internal static class AnthropicOperations
{
    public const string Messages = "messages";
    public const string CountTokens = "count_tokens";
}

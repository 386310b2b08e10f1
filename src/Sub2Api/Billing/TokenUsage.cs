namespace Sub2Api.Billing;

/// <summary>
/// Tokens of one request as the upstream reported them. Anthropic semantics: <see cref="InputTokens"/>
/// excludes cached tokens. <see cref="CacheCreation5mTokens"/> + <see cref="CacheCreation1hTokens"/> split
/// <see cref="CacheCreationTokens"/> when the upstream reports the split (both 0 otherwise).
/// </summary>
internal readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CacheCreationTokens,
    long CacheReadTokens,
    long CacheCreation5mTokens = 0,
    long CacheCreation1hTokens = 0)
{
    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;
}

using Sub2Api.Relay;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// What the relay needs from a /v1/messages (or count_tokens) body (SPEC §4.1 step 2). The body itself is
/// forwarded as raw bytes; this is only a read-out of it.
/// </summary>
/// <param name="Model">Top-level <c>model</c>, non-empty.</param>
/// <param name="Stream">Top-level <c>stream</c>; false when absent or null.</param>
/// <param name="MetadataUserId"><c>metadata.user_id</c> when it is a string.</param>
/// <param name="HasSystem">True when <c>system</c> is present, even as null (as the original).</param>
/// <param name="HasTools">True when <c>tools</c> is a non-empty array (<c>requestNeedsBetaFeatures</c>).</param>
/// <param name="ThinkingType"><c>thinking.type</c> as sent ("enabled", "adaptive", "disabled", …).</param>
/// <param name="MaxTokens">Integral <c>max_tokens</c>, else null.</param>
/// <param name="CacheableSystemText">Concatenated text of system blocks whose <c>cache_control.type</c> is "ephemeral".</param>
/// <param name="FirstCacheableMessageText">Text of the first message having a content block with ephemeral
/// <c>cache_control</c> (type:text blocks only), or null when there is none.</param>
/// <param name="SystemText">All system text: a string system, or every block's <c>text</c>.</param>
/// <param name="FirstMessageText">Text of <c>messages[0]</c>: string content or its type:text blocks.</param>
internal sealed record AnthropicRequestInfo(
    string Model,
    bool Stream,
    string? MetadataUserId,
    bool HasSystem,
    bool HasTools,
    string? ThinkingType,
    long? MaxTokens,
    string CacheableSystemText,
    string? FirstCacheableMessageText,
    string SystemText,
    string FirstMessageText) : IRequestInfo
{
    /// <summary>The <c>text</c> of each system block, in order (empty for a string or absent system): Claude Code
    /// detection compares blocks one by one (SPEC §6.5), which the concatenated <see cref="SystemText"/> cannot.</summary>
    public IReadOnlyList<string> SystemBlockTexts { get; init; } = [];
}

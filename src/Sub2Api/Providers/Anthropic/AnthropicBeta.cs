namespace Sub2Api.Providers.Anthropic;

/// <summary>anthropic-beta rules (SPEC §6.1, §6.2 step 5; <c>getBetaHeader</c>, <c>requestNeedsBetaFeatures</c>,
/// <c>defaultApiKeyBetaHeader</c> in gateway_service.go).</summary>
internal static class AnthropicBeta
{
    public const string OAuth = "oauth-2025-04-20";
    public const string ClaudeCode = "claude-code-20250219";
    public const string InterleavedThinking = "interleaved-thinking-2025-05-14";
    public const string FineGrainedToolStreaming = "fine-grained-tool-streaming-2025-05-14";
    public const string TokenCounting = "token-counting-2024-11-01";

    public const string DefaultBetaHeader = ClaudeCode + "," + OAuth + "," + InterleavedThinking + "," + FineGrainedToolStreaming;
    public const string MessageBetaHeaderNoTools = ClaudeCode + "," + OAuth + "," + InterleavedThinking;
    public const string MessageBetaHeaderWithTools = MessageBetaHeaderNoTools;
    public const string CountTokensBetaHeader = ClaudeCode + "," + OAuth + "," + InterleavedThinking + "," + TokenCounting;
    public const string HaikuBetaHeader = OAuth + "," + InterleavedThinking;
    public const string ApiKeyBetaHeader = ClaudeCode + "," + InterleavedThinking + "," + FineGrainedToolStreaming;
    public const string ApiKeyHaikuBetaHeader = InterleavedThinking;

    /// <summary>
    /// OAuth account + Claude Code client: the client's beta list with the oauth flag guaranteed.
    /// Contains oauth → unchanged; has claude-code → oauth inserted right after it (parts trimmed, joined by ",");
    /// otherwise "oauth-2025-04-20," + the original as sent. None → Haiku or Default by model.
    /// </summary>
    public static string ForOAuth(string model, string? clientBeta)
    {
        if (string.IsNullOrWhiteSpace(clientBeta))
        {
            return IsHaiku(model) ? HaikuBetaHeader : DefaultBetaHeader;
        }
        // Substring test as the original: any spelling that carries the flag is left alone.
        if (clientBeta.Contains(OAuth, StringComparison.Ordinal))
        {
            return clientBeta;
        }
        var parts = clientBeta.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var claudeCodeIndex = Array.IndexOf(parts, ClaudeCode);
        if (claudeCodeIndex < 0)
        {
            return OAuth + "," + clientBeta;
        }
        var result = new List<string>(parts.Length + 1);
        result.AddRange(parts.AsSpan(0, claudeCodeIndex + 1));
        result.Add(OAuth);
        result.AddRange(parts.AsSpan(claudeCodeIndex + 1));
        return string.Join(',', result);
    }

    /// <summary>
    /// API-key account: the header to send, or null to leave the client's header (if any) untouched.
    /// Injection is opt-in (<c>gateway.inject_beta_for_apikey</c>) and only when the client sent none and the
    /// body uses a beta feature: tools, or thinking enabled/adaptive (the original checked only "enabled";
    /// adaptive thinking needs the interleaved-thinking flag just the same).
    /// </summary>
    public static string? ForApiKey(string model, string? clientBeta, bool injectForApiKey, bool hasTools, string? thinkingType)
    {
        if (!injectForApiKey || !string.IsNullOrEmpty(clientBeta))
        {
            return null;
        }
        var thinking = string.Equals(thinkingType, "enabled", StringComparison.OrdinalIgnoreCase)
            || string.Equals(thinkingType, "adaptive", StringComparison.OrdinalIgnoreCase);
        if (!hasTools && !thinking)
        {
            return null;
        }
        return IsHaiku(model) ? ApiKeyHaikuBetaHeader : ApiKeyBetaHeader;
    }

    private static bool IsHaiku(string model) => model.Contains("haiku", StringComparison.OrdinalIgnoreCase);
}

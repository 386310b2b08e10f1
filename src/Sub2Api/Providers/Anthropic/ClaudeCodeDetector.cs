using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Whether a request comes from the real Claude Code CLI (SPEC §6.5, <c>ClaudeCodeValidator</c> ported from
/// claude-relay-service). OAuth accounts serve such clients as they are and "mimic" Claude Code for all others.
/// </summary>
internal static partial class ClaudeCodeDetector
{
    public const double SystemPromptThreshold = 0.5;

    /// <summary>Representative Claude Code system prompts (the main banner and the SDK/sub-agent variants).</summary>
    public static IReadOnlyList<string> SystemPromptTemplates { get; } =
    [
        "You are Claude Code, Anthropic's official CLI for Claude.",
        "You are Claude Code, Anthropic's official CLI for Claude, running within the Claude Agent SDK.",
        "You are a Claude agent, built on Anthropic's Claude Agent SDK.",
        "You are a file search specialist for Claude Code, Anthropic's official CLI for Claude.",
        "You are a helpful AI assistant tasked with summarizing conversations.",
        "You are an interactive CLI tool that helps users with software engineering tasks.",
    ];

    [GeneratedRegex(@"^claude-cli/\d+\.\d+\.\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClaudeCliUserAgent();

    [GeneratedRegex(@"^user_[a-fA-F0-9]{64}_account__session_[\w-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyUserId();

    /// <summary>
    /// UA <c>claude-cli/X.Y.Z</c> AND (not a messages path; or the max_tokens=1 haiku non-stream probe; or a Claude
    /// Code system prompt (a block with Dice similarity ≥ 0.5 to a template), non-empty X-App, anthropic-beta and
    /// anthropic-version, and metadata.user_id in the legacy form or the Claude Code 2.x JSON form with a session_id).
    /// </summary>
    public static bool IsClaudeCode(HttpRequest request, AnthropicRequestInfo info, bool isMessagesPath)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);
        if (!ClaudeCliUserAgent().IsMatch(request.Headers.UserAgent.ToString()))
        {
            return false;
        }
        if (!isMessagesPath || IsProbe(info))
        {
            return true;
        }
        return HasClaudeCodeSystemPrompt(info.SystemBlockTexts)
            && !string.IsNullOrWhiteSpace(request.Headers["x-app"].ToString())
            && !string.IsNullOrWhiteSpace(request.Headers["anthropic-beta"].ToString())
            && !string.IsNullOrWhiteSpace(request.Headers["anthropic-version"].ToString())
            && IsClaudeCodeUserId(info.MetadataUserId);
    }

    /// <summary>The CLI's max_tokens=1 haiku non-stream quota probe.</summary>
    public static bool IsProbe(AnthropicRequestInfo info) =>
        info.MaxTokens == 1 && ClaudeMimic.IsHaiku(info.Model) && !info.Stream;

    public static bool IsClaudeCodeUserId(string? userId) =>
        userId is not null && (LegacyUserId().IsMatch(userId) || ClaudeCodeUserId.TryGetSessionId(userId) is not null);

    /// <summary>Some system block resembles a Claude Code template closely enough.</summary>
    public static bool HasClaudeCodeSystemPrompt(IEnumerable<string> systemBlockTexts) =>
        systemBlockTexts.Any(text => SystemPromptTemplates.Any(t => DiceSimilarity(text, t) >= SystemPromptThreshold));

    /// <summary>
    /// Dice coefficient over character bigrams (multiset), after collapsing whitespace and lower-casing: 1 for equal
    /// texts, 0 when nothing is shared. Texts too different in length to reach the threshold are not compared.
    /// </summary>
    public static double DiceSimilarity(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // A block many times longer than the template (Claude Code's 80 KB main prompt) cannot score 0.5 unless
        // it is mostly whitespace; don't normalise it just to find out.
        if (a.Length > 8 * (b.Length + 16) || b.Length > 8 * (a.Length + 16))
        {
            return 0;
        }
        var x = Normalize(a);
        var y = Normalize(b);
        if (x == y)
        {
            return 1;
        }
        if (x.Length < 2 || y.Length < 2)
        {
            return 0;
        }
        // 2·min/(m+n) bounds the score: skip the bigram count when it cannot reach the threshold.
        var (m, n) = (x.Length - 1, y.Length - 1);
        if (2.0 * Math.Min(m, n) / (m + n) < SystemPromptThreshold)
        {
            return 0;
        }
        var counts = new Dictionary<(char, char), int>(m);
        for (var i = 0; i < m; i++)
        {
            var bigram = (x[i], x[i + 1]);
            counts[bigram] = counts.GetValueOrDefault(bigram) + 1;
        }
        var shared = 0;
        for (var i = 0; i < n; i++)
        {
            var bigram = (y[i], y[i + 1]);
            if (counts.TryGetValue(bigram, out var left) && left > 0)
            {
                counts[bigram] = left - 1;
                shared++;
            }
        }
        return 2.0 * shared / (m + n);
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}

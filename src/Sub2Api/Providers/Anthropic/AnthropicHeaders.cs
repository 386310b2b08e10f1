using System.Collections.Frozen;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Header constants of SPEC §6.1/§6.2 (<c>pkg/claude/constants.go</c> and <c>allowedHeaders</c> in the original).
/// The <see cref="DefaultHeaders"/> values change between Claude Code releases; they are what a real CLI sends.
/// </summary>
internal static class AnthropicHeaders
{
    public const string DefaultVersion = "2023-06-01";

    // Sticky-session headers (SPEC §4.2 and the additions: Claude Code 2.x, OpenCode PR #1578).
    public const string ClaudeCodeSessionId = "x-claude-code-session-id";
    public const string SessionAffinity = "x-session-affinity";

    // Lower-case names of the headers the fingerprint owns (SPEC §6.2 step 3).
    public const string UserAgent = "user-agent";
    public const string StainlessLang = "x-stainless-lang";
    public const string StainlessPackageVersion = "x-stainless-package-version";
    public const string StainlessOs = "x-stainless-os";
    public const string StainlessArch = "x-stainless-arch";
    public const string StainlessRuntime = "x-stainless-runtime";
    public const string StainlessRuntimeVersion = "x-stainless-runtime-version";
    public const string StainlessHelperMethod = "x-stainless-helper-method";

    public const string DefaultUserAgent = "claude-cli/2.1.22 (external, cli)";
    public const string DefaultStainlessLang = "js";
    public const string DefaultStainlessPackageVersion = "0.70.0";
    public const string DefaultStainlessOs = "Linux";
    public const string DefaultStainlessArch = "arm64";
    public const string DefaultStainlessRuntime = "node";
    public const string DefaultStainlessRuntimeVersion = "v24.13.0";

    /// <summary>The only client headers copied upstream (SPEC §6.2 step 2); lookups ignore case.</summary>
    public static FrozenSet<string> ClientWhitelist { get; } = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "accept",
        "x-stainless-retry-count",
        "x-stainless-timeout",
        StainlessLang,
        StainlessPackageVersion,
        StainlessOs,
        StainlessArch,
        StainlessRuntime,
        StainlessRuntimeVersion,
        StainlessHelperMethod,
        "anthropic-dangerous-direct-browser-access",
        "anthropic-version",
        "x-app",
        "anthropic-beta",
        "accept-language",
        "sec-fetch-mode",
        UserAgent,
        "content-type",
    ]);

    /// <summary>SPEC §6.1 <c>DefaultHeaders</c>, in the original's spelling and order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DefaultHeaders { get; } =
    [
        new("User-Agent", DefaultUserAgent),
        new("X-Stainless-Lang", DefaultStainlessLang),
        new("X-Stainless-Package-Version", DefaultStainlessPackageVersion),
        new("X-Stainless-OS", DefaultStainlessOs),
        new("X-Stainless-Arch", DefaultStainlessArch),
        new("X-Stainless-Runtime", DefaultStainlessRuntime),
        new("X-Stainless-Runtime-Version", DefaultStainlessRuntimeVersion),
        new("X-Stainless-Retry-Count", "0"),
        new("X-Stainless-Timeout", "600"),
        new("X-App", "cli"),
        new("Anthropic-Dangerous-Direct-Browser-Access", "true"),
    ];

    /// <summary>The Claude Code system banner (SPEC §6.3, mimic mode).</summary>
    public const string Banner = "You are Claude Code, Anthropic's official CLI for Claude.";

    /// <summary>A system prompt starting with one of these already identifies as Claude Code (SPEC §6.3).</summary>
    public static IReadOnlyList<string> KnownBannerPrefixes { get; } =
    [
        "You are Claude Code, Anthropic's official CLI for Claude",
        "You are a Claude agent, built on Anthropic's Claude Agent SDK",
        "You are a file search specialist for Claude Code",
        "You are a helpful AI assistant tasked with summarizing conversations",
    ];
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// In-memory <see cref="IFingerprintStore"/> (SPEC §6.2 step 3). Created from the first client's headers, with
/// SPEC §6.1 defaults for the missing ones and a random 64-hex client id. Afterwards only the UA can change,
/// and only to a strictly newer, well-formed <c>claude-cli/X.Y.Z</c> (<see cref="ClaudeCliVersion"/>, #5254).
/// Thread-safe: updates are compare-and-swap on immutable records.
/// </summary>
internal sealed class MemoryFingerprintStore : IFingerprintStore
{
    private readonly ConcurrentDictionary<long, Fingerprint> _byAccount = new();

    public Fingerprint GetOrCreate(long accountId, IHeaderDictionary clientHeaders)
    {
        ArgumentNullException.ThrowIfNull(clientHeaders);
        var current = _byAccount.GetOrAdd(accountId, static (_, headers) => Create(headers), clientHeaders);
        var clientUserAgent = Header(clientHeaders, AnthropicHeaders.UserAgent);
        if (!ClaudeCliVersion.TryParse(clientUserAgent, out var offered))
        {
            return current;
        }
        while (!ClaudeCliVersion.TryParse(current.UserAgent, out var stored) || offered > stored)
        {
            var upgraded = current with { UserAgent = clientUserAgent! };
            if (_byAccount.TryUpdate(accountId, upgraded, current))
            {
                return upgraded;
            }
            current = _byAccount[accountId];
        }
        return current;
    }

    private static Fingerprint Create(IHeaderDictionary headers)
    {
        // A first client that is not a well-formed Claude CLI (curl, an SDK, "…-local") must not become the
        // account's identity: fall back to the default UA, which any real CLI can later upgrade.
        var userAgent = Header(headers, AnthropicHeaders.UserAgent);
        return new Fingerprint(
            ClientId: RandomNumberGenerator.GetHexString(64, lowercase: true),
            UserAgent: ClaudeCliVersion.TryParse(userAgent, out _) ? userAgent! : AnthropicHeaders.DefaultUserAgent,
            StainlessLang: Header(headers, AnthropicHeaders.StainlessLang) ?? AnthropicHeaders.DefaultStainlessLang,
            StainlessPackageVersion: Header(headers, AnthropicHeaders.StainlessPackageVersion) ?? AnthropicHeaders.DefaultStainlessPackageVersion,
            StainlessOs: Header(headers, AnthropicHeaders.StainlessOs) ?? AnthropicHeaders.DefaultStainlessOs,
            StainlessArch: Header(headers, AnthropicHeaders.StainlessArch) ?? AnthropicHeaders.DefaultStainlessArch,
            StainlessRuntime: Header(headers, AnthropicHeaders.StainlessRuntime) ?? AnthropicHeaders.DefaultStainlessRuntime,
            StainlessRuntimeVersion: Header(headers, AnthropicHeaders.StainlessRuntimeVersion) ?? AnthropicHeaders.DefaultStainlessRuntimeVersion);
    }

    private static string? Header(IHeaderDictionary headers, string name)
    {
        var values = headers[name];
        var value = values.Count > 0 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

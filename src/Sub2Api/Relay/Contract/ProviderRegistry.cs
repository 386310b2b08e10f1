using System.Collections.Frozen;

namespace Sub2Api.Relay;

/// <summary>The registered providers by platform, fixed at startup.</summary>
internal sealed class ProviderRegistry(IEnumerable<IRelayProvider> providers)
{
    private readonly FrozenDictionary<string, IRelayProvider> _byPlatform = providers.ToFrozenDictionary(p => p.Platform);

    public IRelayProvider? For(string platform) => _byPlatform.GetValueOrDefault(platform);
}

using Microsoft.AspNetCore.Http;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// The identity an OAuth account presents upstream (SPEC §6.2 step 3): the same UA and X-Stainless-* on every
/// request, whichever client is behind the gateway, and a stable random client id for metadata.user_id.
/// </summary>
internal sealed record Fingerprint(
    string ClientId,
    string UserAgent,
    string StainlessLang,
    string StainlessPackageVersion,
    string StainlessOs,
    string StainlessArch,
    string StainlessRuntime,
    string StainlessRuntimeVersion);

/// <summary>Per-account fingerprints; in memory now, Redis (<c>fingerprint:{accountId}</c>) later.</summary>
internal interface IFingerprintStore
{
    Fingerprint GetOrCreate(long accountId, IHeaderDictionary clientHeaders);
}

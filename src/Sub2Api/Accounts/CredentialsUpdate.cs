using System.Text.Json.Nodes;
using Sub2Api.Security;

namespace Sub2Api.Accounts;

/// <summary>
/// How an admin's credentials edit combines with what is stored now (read under the account's refresh lock). The
/// admin's page may predate a token refresh: the secrets it shows are masks of tokens that have since rotated.
/// Writing those back would roll the account back to a spent refresh token, so a masked secret always means "keep
/// the stored one", even when it is the mask of an older value. Every edit stamps a newer
/// <c>_token_version</c>, so every node's credential store takes the edited record over any copy it holds.
/// </summary>
internal static class CredentialsUpdate
{
    public static JsonObject Merge(JsonObject stored, JsonObject incoming, DateTimeOffset now)
    {
        var merged = CredentialsCodec.MergeForUpdate(stored, incoming);
        foreach (var (name, value) in merged.ToList())
        {
            if (CredentialsCodec.IsSecretField(name) && value is JsonValue v && v.TryGetValue<string>(out var text) && LooksMasked(text)
                && stored[name] is JsonValue old && old.TryGetValue<string>(out var storedText))
            {
                merged[name] = storedText;
            }
        }
        merged[AccountCredentials.VersionField] = TokenRefreshService.NextVersion(now, AccountCredentials.From(stored).Version);
        return merged;
    }

    /// <summary>The shapes <see cref="Masking.Mask"/> produces: <c>abcde…yz</c>, or only asterisks for a short secret.</summary>
    public static bool LooksMasked(string value) =>
        value.Contains(Masking.Ellipsis, StringComparison.Ordinal) || (value.Length is > 0 and <= 8 && value.All(c => c == '*'));
}

using System.Text.Json.Serialization;

namespace Sub2Api.Providers.Anthropic.OAuth;

/// <summary>
/// What the token endpoint granted. <see cref="RefreshToken"/> rotates on every grant: whoever stores this must
/// store the new refresh token together with the new access token, in one write.
/// </summary>
internal sealed record ClaudeTokenSet(
    string AccessToken,
    string TokenType,
    long ExpiresIn,
    DateTimeOffset ExpiresAt,
    string? RefreshToken,
    string? Scope,
    string? OrgUuid,
    string? AccountUuid,
    string? EmailAddress)
{
    /// <summary>The answer of the onboarding routes (the original's token info), shown once to the admin.</summary>
    public ClaudeTokenInfo ToTokenInfo() => new(AccessToken, TokenType, ExpiresIn, ExpiresAt.ToUnixTimeSeconds(), RefreshToken,
        Scope, OrgUuid, AccountUuid, EmailAddress);

    /// <summary>Never the secrets: a record's generated ToString would print the tokens into any log line or exception.</summary>
    public override string ToString() => $"ClaudeTokenSet {{ ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}

/// <summary>
/// The token info the onboarding routes answer; the admin's app sends it back as the account's <c>credentials</c>
/// (and <c>org_uuid</c>, <c>account_uuid</c>, <c>email_address</c> as its <c>extra</c>). <c>expires_at</c> is unix seconds.
/// </summary>
internal sealed record ClaudeTokenInfo(
    string AccessToken,
    string TokenType,
    long ExpiresIn,
    long ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrgUuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccountUuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EmailAddress)
{
    public override string ToString() => $"ClaudeTokenInfo {{ ExpiresAt = {ExpiresAt}, Scope = {Scope} }}";
}

/// <summary>One organization of a claude.ai login; <c>raven_type</c> is "team" for a Team/Enterprise seat.</summary>
internal sealed record ClaudeOrganization(string Uuid, string? Name, string? RavenType);

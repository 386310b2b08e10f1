namespace Sub2Api.Data.Entities;

/// <summary>
/// A refresh token (<c>rt_</c> + 64 hex), stored as its SHA-256. Rotation marks the old row used;
/// presenting a used token again revokes its whole family (token theft).
/// </summary>
internal sealed class RefreshToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string TokenHash { get; set; }
    public required string FamilyId { get; set; }
    public long TokenVersion { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

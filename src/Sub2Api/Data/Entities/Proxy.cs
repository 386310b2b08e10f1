namespace Sub2Api.Data.Entities;

internal sealed class Proxy : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Protocol { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public string? Username { get; set; }
    /// <summary>Encrypted; never returned in clear.</summary>
    public string? PasswordEncrypted { get; set; }
    public string Status { get; set; } = Statuses.Active;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

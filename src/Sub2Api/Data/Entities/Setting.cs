namespace Sub2Api.Data.Entities;

/// <summary>Runtime settings as key/value strings (SPEC §7.3).</summary>
internal sealed class Setting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}

namespace Sub2Api.Data.Entities;

/// <summary>A custom profile field the admin defines (text, textarea, number, email, url, date, select, multi_select).</summary>
internal sealed class UserAttributeDefinition : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string Type { get; set; } = "text";
    /// <summary>JSON array of <c>{value,label}</c> for select types.</summary>
    public string Options { get; set; } = "[]";
    public bool Required { get; set; }
    /// <summary>JSON object: <c>{min_length,max_length,min,max,pattern,message}</c> (all optional).</summary>
    public string Validation { get; set; } = "{}";
    public string Placeholder { get; set; } = "";
    public int DisplayOrder { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

internal sealed class UserAttributeValue : ITimestamped
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public long AttributeId { get; set; }
    public string Value { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

namespace Sub2Api.Data.Entities;

/// <summary>created_at / updated_at (the original's TimeMixin). Always UTC.</summary>
internal interface ITimestamped
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}

/// <summary>Rows that are hidden, not removed, on delete (the original's SoftDeleteMixin).</summary>
internal interface ISoftDeletable
{
    DateTime? DeletedAt { get; set; }
}

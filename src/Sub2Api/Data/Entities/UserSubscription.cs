namespace Sub2Api.Data.Entities;

internal sealed class UserSubscription : ITimestamped, ISoftDeletable
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public long GroupId { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public string Status { get; set; } = Statuses.Active;
    public DateTime? DailyWindowStart { get; set; }
    public DateTime? WeeklyWindowStart { get; set; }
    public DateTime? MonthlyWindowStart { get; set; }
    public decimal DailyUsageUsd { get; set; }
    public decimal WeeklyUsageUsd { get; set; }
    public decimal MonthlyUsageUsd { get; set; }
    public long? AssignedBy { get; set; }
    public DateTime AssignedAt { get; set; }
    public string Notes { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

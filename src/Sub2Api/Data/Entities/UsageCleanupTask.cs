namespace Sub2Api.Data.Entities;

/// <summary>An asynchronous, filtered deletion of usage logs (at most 31 days per task).</summary>
internal sealed class UsageCleanupTask : ITimestamped
{
    public long Id { get; set; }
    /// <summary><c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>canceled</c>.</summary>
    public string Status { get; set; } = "pending";
    /// <summary>JSON of the filters: <c>{start_time,end_time,user_id,api_key_id,account_id,group_id,model,stream,billing_type}</c>.</summary>
    public string Filters { get; set; } = "{}";
    public long CreatedBy { get; set; }
    public long DeletedRows { get; set; }
    public string? ErrorMessage { get; set; }
    public long? CanceledBy { get; set; }
    public DateTime? CanceledAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
